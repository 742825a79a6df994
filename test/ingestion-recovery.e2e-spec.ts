import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createApiApp } from '../apps/api/src/create-api-app';
import { createWorkerApp } from '../apps/worker/src/create-worker-app';
import { Session, bearer, registerDealership } from './support/auth-helpers';
import { BuiltApp, startBuiltWorker, stopBuiltApp, untilStarted } from './support/built-apps';
import { ingestionState, longMarkdown } from './support/ingestion-state';
import { TestContext } from './support/test-context';
import { waitFor } from './support/wait-for';

/**
 * Ingestion survives what production throws at it mid-document: Redis losing every key, and
 * a worker pod killed with no chance to hand its jobs back. Postgres is the truth, so in both
 * cases the document must end `ready`, with each chunk once, every chunk embedded, and search
 * finding it. Embedding one chunk per job (EMBEDDING_BATCH_SIZE=1) stretches ingestion out so
 * the blow lands while it is still going; each test checks that it did.
 */

// Short safety-net intervals (each at its schema minimum) so recovery is seconds, not minutes.
const FAST_RECOVERY = {
  DOCUMENT_RECONCILE_INTERVAL_MS: '1000',
  DOCUMENT_STALL_AFTER_MS: '3000',
  OUTBOX_LOST_AFTER_MS: '1000',
  OUTBOX_DISPATCH_INTERVAL_MS: '1000',
  JOB_SCHEDULE_RESYNC_MS: '1000',
  EMBEDDING_BATCH_SIZE: '1',
};
const GENEROUS_RATE_LIMITS = { RATE_LIMIT_USER_PER_MINUTE: '100000', RATE_LIMIT_USER_PER_SECOND: '100000' };

const SECTIONS = 80;

async function upload(api: INestApplication, owner: Session, text: string, name: string): Promise<string> {
  const res = await request(api.getHttpServer()).post('/api/v1/documents').set(bearer(owner.accessToken)).attach('file', Buffer.from(text), name).expect(202);
  return res.body.id as string;
}

async function expectIntactAndSearchable(ctx: TestContext, api: INestApplication, owner: Session, documentId: string, phrase: string) {
  const state = await ingestionState(ctx.db, documentId);
  expect(state).toMatchObject({ status: 'ready', progress: 100, error: null, duplicateKeys: 0, unembedded: 0 });
  expect(state!.chunkCount).toBeGreaterThanOrEqual(SECTIONS);
  expect(state!.liveChunks).toBe(state!.chunkCount);
  // The swap dropped every other generation: nothing is left over from the interrupted run.
  expect(state!.allChunks).toBe(state!.liveChunks);
  const hits = await request(api.getHttpServer()).post('/api/v1/search').set(bearer(owner.accessToken)).send({ query: phrase, topK: 3 }).expect(200);
  expect(hits.body.items[0]).toMatchObject({ documentId, text: expect.stringContaining(phrase) });
}

describe('ingestion recovery: Redis flushed mid-ingestion', () => {
  let ctx: TestContext;
  const apps: INestApplication[] = [];

  beforeAll(async () => {
    ctx = await TestContext.create();
  });

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await ctx?.dispose();
  });

  it('finishes the document after FLUSHALL: ready, each chunk once, all embedded, searchable', async () => {
    const config = ctx.config({ ...FAST_RECOVERY, ...GENEROUS_RATE_LIMITS });
    const worker = await createWorkerApp(config);
    const api = await createApiApp(config);
    apps.push(worker, api);
    await Promise.all([worker.init(), api.init()]);
    const owner = await registerDealership(api, 'Flushed Redis Motors');
    const phrase = 'flushall survivor gearbox recalibration';

    const id = await upload(api, owner, longMarkdown(SECTIONS, phrase), 'workshop-manual.md');
    // Strike once embedding has begun, so the lost jobs include half-done embedding batches.
    await waitFor('embedding to be under way', async () => {
      const state = await ingestionState(ctx.db, id);
      return state?.status === 'processing' && state.progress > 50 && state.unembedded > 0;
    }, 15_000);
    await ctx.flushRedis();
    const struck = await ingestionState(ctx.db, id);
    expect(struck).toMatchObject({ status: 'processing' });
    expect(struck!.unembedded).toBeGreaterThan(0);

    await waitFor('the document to be ready after the flush', async () => (await ingestionState(ctx.db, id))?.status === 'ready', 25_000);
    await expectIntactAndSearchable(ctx, api, owner, id, phrase);
  }, 50_000);
});

describe('ingestion recovery: worker killed with SIGKILL mid-ingestion', () => {
  let ctx: TestContext;
  const apps: INestApplication[] = [];
  let victim: BuiltApp | undefined;

  beforeAll(async () => {
    ctx = await TestContext.create();
  });

  afterAll(async () => {
    await stopBuiltApp(victim);
    await Promise.all(apps.map((app) => app.close()));
    await ctx?.dispose();
  });

  it('hands the killed worker\'s jobs to another worker, which finishes the document intact', async () => {
    // JOB_LOCK_DURATION_MS: a dead worker's locks lapse, and BullMQ's stalled check runs, every 2 s.
    const workerEnv = { ...FAST_RECOVERY, JOB_LOCK_DURATION_MS: '2000', WORKER_CONCURRENCY: '1' };
    const api = await createApiApp(ctx.config({ ...FAST_RECOVERY, ...GENEROUS_RATE_LIMITS }));
    apps.push(api);
    await api.init();
    const owner = await registerDealership(api, 'Killed Worker Motors');
    const phrase = 'sigkill survivor camshaft timing';

    victim = startBuiltWorker(ctx, workerEnv);
    await untilStarted(victim);
    const id = await upload(api, owner, longMarkdown(SECTIONS, phrase), 'workshop-manual.md');
    // Strike while embedding (progress 51-99): the dead worker then holds an embedding job,
    // and the document's state is split between written chunks and jobs still in Redis.
    await waitFor('the worker to be mid-document', async () => {
      const state = await ingestionState(ctx.db, id);
      return state?.status === 'processing' && state.progress > 50 && state.progress <= 99 && state.unembedded > 0;
    }, 15_000);
    victim.child.kill('SIGKILL');
    await victim.exited();
    const struck = await ingestionState(ctx.db, id);
    expect(struck).toMatchObject({ status: 'processing' });
    expect(struck!.unembedded).toBeGreaterThan(0);

    const successor = await createWorkerApp(ctx.config(workerEnv));
    apps.push(successor);
    await successor.init();
    await waitFor('the successor worker to finish the document', async () => (await ingestionState(ctx.db, id))?.status === 'ready', 25_000);
    await expectIntactAndSearchable(ctx, api, owner, id, phrase);
    // BullMQ's stalled-job check handed the jobs over; the reconciler (which counts restarts)
    // had nothing to do, because every job still had its unsettled outbox row.
    const { rows } = await ctx.db.query('SELECT ingest_attempts FROM documents WHERE id = $1', [id]);
    expect(rows[0].ingest_attempts).toBe(0);
  }, 100_000);
});
