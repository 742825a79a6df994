import type { INestApplication } from '@nestjs/common';
import { QueueRegistry } from '@showroom/core';
import { DocumentEvents, type DocumentProgressEvent } from '@showroom/rag';
import request from 'supertest';
import { createApiApp } from '../apps/api/src/create-api-app';
import { createWorkerApp } from '../apps/worker/src/create-worker-app';
import { bearer, registerDealership } from './support/auth-helpers';
import { TestContext } from './support/test-context';
import { waitFor } from './support/wait-for';

/**
 * A document whose ingestion job is gone for good (BullMQ gave up on it after repeated worker
 * crashes, then Redis lost everything) must not stay `queued` forever: the reconciler restarts
 * it, and fails it after too many restarts.
 */
describe('document reconciler', () => {
  let ctx: TestContext;
  const apps: INestApplication[] = [];
  const fast = {
    DOCUMENT_RECONCILE_INTERVAL_MS: '1000',
    DOCUMENT_STALL_AFTER_MS: '1000',
    JOB_SCHEDULE_RESYNC_MS: '1000',
    OUTBOX_DISPATCH_INTERVAL_MS: '1000',
    RATE_LIMIT_USER_PER_MINUTE: '10000',
  };

  beforeAll(async () => {
    ctx = await TestContext.create();
  });

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await ctx?.dispose();
  });

  async function start<T extends INestApplication>(make: Promise<T>): Promise<T> {
    const app = await make;
    await app.init();
    apps.push(app);
    return app;
  }

  const document = async (id: string) =>
    (await ctx.db.query('SELECT status, ingest_attempts, error FROM documents WHERE id = $1', [id])).rows[0] as {
      status: string;
      ingest_attempts: number;
      error: string | null;
    };

  it('re-queues a document whose job vanished, and fails one that keeps stopping the worker', async () => {
    // Only maintenance is served at first, so ingestion jobs wait in Redis.
    await start(createWorkerApp(ctx.config({ ...fast, WORKER_QUEUES: 'maintenance' })));
    const api = await start(createApiApp(ctx.config(fast)));
    const owner = await registerDealership(api, 'Reconcile Motors');
    const upload = (text: string, name: string) =>
      request(api.getHttpServer()).post('/api/v1/documents').set(bearer(owner.accessToken)).attach('file', Buffer.from(text), name).expect(202);
    const lost = (await upload('Winter tyres are fitted free in November.', 'tyres.txt')).body.id as string;
    const poison = (await upload('This file pretends to crash the worker every time.', 'poison.txt')).body.id as string;

    // An admin watching the poison document's progress (any pod relays the worker's events).
    const seen: DocumentProgressEvent[] = [];
    const watching = api.get(DocumentEvents).stream(owner.dealership.id, poison).subscribe((event) => seen.push(event));

    // BullMQ gave up on both jobs (their outbox rows are settled) and Redis then lost everything.
    await ctx.db.query(`UPDATE outbox_messages SET settled_at = now() WHERE payload->>'documentId' = ANY($1)`, [[lost, poison]]);
    await ctx.db.query(`UPDATE documents SET ingest_attempts = 3 WHERE id = $1`, [poison]);
    await ctx.flushRedis();

    await waitFor('the poison document to fail', async () => (await document(poison)).status === 'failed', 15_000);
    expect((await document(poison)).error).toMatch(/kept stopping the worker/);
    const failedEvent = await waitFor('the failure to be published', () => seen.find((event) => event.status === 'failed'));
    expect(failedEvent).toMatchObject({ documentId: poison, status: 'failed', progress: 100, chunkCount: 0, error: expect.stringMatching(/kept stopping the worker/) });
    watching.unsubscribe();
    await waitFor('the lost document to be re-queued', async () => (await document(lost)).ingest_attempts === 1, 15_000);
    const queue = api.get(QueueRegistry).get('ingestion');
    await waitFor('its new job to wait in Redis', async () => {
      const counts = await queue.getJobCounts('waiting', 'prioritized');
      return counts.waiting + counts.prioritized === 1;
    }, 15_000);

    await start(createWorkerApp(ctx.config({ ...fast, WORKER_QUEUES: 'ingestion,embeddings' })));
    await waitFor('the lost document to be ready', async () => (await document(lost)).status === 'ready', 15_000);
  });
});
