import type { INestApplication } from '@nestjs/common';
import { Outbox, QueueRegistry, RequestContext } from '@showroom/core';
import { setTimeout as sleep } from 'node:timers/promises';
import request from 'supertest';
import { createApiApp } from '../apps/api/src/create-api-app';
import { createWorkerApp } from '../apps/worker/src/create-worker-app';
import { TestContext } from './support/test-context';
import { RecordNoteHandler, RecordNoteJob, RecordNoteModule } from './support/test-jobs';
import { waitFor } from './support/wait-for';

interface OutboxRow {
  id: string;
  dispatched_at: Date | null;
  settled_at: Date | null;
  last_error: string | null;
  dispatch_attempts: number;
}

/**
 * The transactional outbox end to end: the real api stages jobs with database changes, the
 * real worker's repeatable `outbox.relay` maintenance job delivers what the api could not,
 * and jobs that Redis loses after delivery are sent again.
 */
describe('transactional outbox', () => {
  let ctx: TestContext;
  const apps: INestApplication[] = [];

  // Fast relay and schedule resync so the suite observes several relay rounds in seconds.
  const fastRelay = {
    OUTBOX_DISPATCH_INTERVAL_MS: '1000',
    OUTBOX_LOST_AFTER_MS: '1000',
    JOB_SCHEDULE_RESYNC_MS: '1000',
  };

  beforeAll(async () => {
    ctx = await TestContext.create();
  });

  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
    await ctx.flushRedis();
  });

  afterAll(async () => {
    await ctx?.dispose();
  });

  async function startApi(overrides: Record<string, string> = {}) {
    const app = await createApiApp(ctx.config(overrides));
    await app.init();
    apps.push(app);
    return app;
  }

  async function startWorker(queues: string, overrides: Record<string, string> = {}) {
    const app = await createWorkerApp(ctx.config({ WORKER_QUEUES: queues, ...fastRelay, ...overrides }), [RecordNoteModule]);
    await app.init();
    apps.push(app);
    return app;
  }

  const row = async (id: string): Promise<OutboxRow | undefined> =>
    (await ctx.db.query<OutboxRow>('SELECT * FROM outbox_messages WHERE id = $1', [id])).rows[0];

  async function stageNote(api: INestApplication, note: string, requestId = `req-${note}`): Promise<string> {
    return RequestContext.run(requestId, () =>
      api.get(Outbox).transaction(async (tx) => {
        await tx.manager.query('SELECT 1'); // stands for the domain change made in the same transaction
        return tx.enqueue(RecordNoteJob, { note });
      }),
    );
  }

  it('hands a committed job to the worker at once and settles its row', async () => {
    const api = await startApi();
    const worker = await startWorker('file-generation');
    const id = await stageNote(api, 'hello', 'req-hello');

    const handler = worker.get(RecordNoteHandler);
    const handled = await waitFor('the job to be handled', () => handler.handled.find((h) => h.note === 'hello'));
    expect(handled.context).toMatchObject({ jobId: id, requestId: 'req-hello', attempt: 1 });
    const settled = await waitFor('the row to settle', async () => ((await row(id))?.settled_at ? row(id) : undefined));
    expect(settled?.dispatched_at).not.toBeNull();
  });

  it('runs after-commit effects once the change is visible, and a failing one neither undoes the change nor holds back its job', async () => {
    const api = await startApi();
    const seen: number[] = [];
    const id = await api.get(Outbox).transaction(async (tx) => {
      const staged = await tx.enqueue(RecordNoteJob, { note: 'with-effects' });
      tx.afterCommit(async () => {
        seen.push((await ctx.db.query('SELECT count(*)::int AS n FROM outbox_messages WHERE id = $1', [staged])).rows[0].n as number);
      });
      tx.afterCommit(async () => {
        throw new Error('effect broke');
      });
      return staged;
    });
    expect(seen).toEqual([1]); // read from another connection: committed
    expect((await row(id))?.dispatched_at).not.toBeNull(); // handed over despite the failing effect
  });

  it('answers which payloads still have an unsettled job, without the caller reading its rows', async () => {
    const api = await startApi(); // no worker: the staged job stays unsettled
    const outbox = api.get(Outbox);
    const id = await stageNote(api, 'still-on-its-way');
    const ask = () => outbox.unsettled([RecordNoteJob], [{ note: 'never-staged' }, { note: 'still-on-its-way' }, { note: 'still-on-its-way', workMs: 5 }]);
    expect(await ask()).toEqual([false, true, false]);
    expect(await outbox.unsettled([], [{ note: 'still-on-its-way' }])).toEqual([false]);

    await ctx.db.query('UPDATE outbox_messages SET settled_at = now() WHERE id = $1', [id]);
    expect(await ask()).toEqual([false, false, false]);
  });

  it('writes nothing and enqueues nothing when the transaction rolls back', async () => {
    const api = await startApi();
    const before = await ctx.db.query('SELECT count(*)::int AS n FROM outbox_messages');
    const effects: string[] = [];
    await expect(
      api.get(Outbox).transaction(async (tx) => {
        await tx.enqueue(RecordNoteJob, { note: 'never' });
        tx.afterCommit(async () => void effects.push('ran'));
        throw new Error('domain rule broken');
      }),
    ).rejects.toThrow('domain rule broken');
    expect(effects).toEqual([]); // an after-commit effect of a rolled-back change never runs
    const after = await ctx.db.query('SELECT count(*)::int AS n FROM outbox_messages');
    expect(after.rows[0].n).toBe(before.rows[0].n);
    const counts = await api.get(QueueRegistry).get('file-generation').getJobCounts('waiting', 'active', 'delayed');
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(0);
  });

  it('keeps the job when Redis is unreachable at commit, and the relay delivers it later', async () => {
    // The api sees no Redis at all; its database change must still commit with its job.
    const api = await startApi({ REDIS_URL: 'redis://127.0.0.1:1' });
    const id = await stageNote(api, 'while-redis-down');
    const pending = await row(id);
    expect(pending).toMatchObject({ dispatched_at: null, settled_at: null, dispatch_attempts: 1 });
    expect(pending?.last_error).toBeTruthy();

    // A worker with a working Redis runs the real repeatable outbox.relay maintenance job.
    await ctx.db.query('UPDATE outbox_messages SET available_at = now() WHERE id = $1', [id]); // skip the retry backoff
    const worker = await startWorker('file-generation,maintenance');
    const handler = worker.get(RecordNoteHandler);
    await waitFor('the relay to deliver the job', () => handler.handled.find((h) => h.note === 'while-redis-down'));
    await waitFor('the row to settle', async () => (await row(id))?.settled_at ?? undefined);
  });

  it('sends a delivered job again when Redis loses it before it ran', async () => {
    const api = await startApi();
    // Only maintenance is served for now, so the job waits in Redis undelivered to a handler.
    const maintenance = await startWorker('maintenance');
    const id = await stageNote(api, 'lost-in-redis');
    await waitFor('the job to be delivered', async () => (await row(id))?.dispatched_at ?? undefined);
    const queue = api.get(QueueRegistry).get('file-generation');
    expect(await queue.getJobState(id)).toBe('waiting');

    await ctx.flushRedis(); // Redis loses everything: the job and the relay's schedule
    expect(await queue.getJobState(id)).toBe('unknown');

    // The worker re-creates its schedule, the relay notices the vanished job and re-sends it.
    await waitFor('the lost job to be back in its queue', async () => (await queue.getJobState(id)) === 'waiting', 15_000);
    const worker = await startWorker('file-generation');
    await waitFor('the job to run', () => worker.get(RecordNoteHandler).handled.find((h) => h.note === 'lost-in-redis'));
    await waitFor('the row to settle', async () => (await row(id))?.settled_at ?? undefined);
    expect(maintenance.get(RecordNoteHandler).handled).toHaveLength(0);
  });

  it('retries a failing handler with backoff and counts each attempt in the worker metrics', async () => {
    const api = await startApi();
    const worker = await startWorker('file-generation');
    const id = await RequestContext.run('req-retry', () =>
      api.get(Outbox).transaction((tx) => tx.enqueue(RecordNoteJob, { note: 'flaky', failTimes: 2 })),
    );
    const handled = await waitFor('the third attempt to succeed', () =>
      worker.get(RecordNoteHandler).handled.find((h) => h.note === 'flaky'),
    );
    expect(handled.context.attempt).toBe(3);
    await waitFor('the row to settle', async () => (await row(id))?.settled_at ?? undefined);

    const metrics = await request(worker.getHttpServer()).get('/metrics').expect(200);
    expect(metrics.text).toMatch(/jobs_finished_total\{[^}]*name="test.record-note"[^}]*status="failed"[^}]*\} 2/);
    expect(metrics.text).toMatch(/jobs_finished_total\{[^}]*name="test.record-note"[^}]*status="completed"[^}]*\} 1/);
    expect(metrics.text).toMatch(/queue_jobs\{queue="file-generation",state="completed"/);
  });

  it('settles a job that fails for good, so the relay does not resend it', async () => {
    const api = await startApi();
    const worker = await startWorker('file-generation,maintenance');
    const id = await api.get(Outbox).transaction((tx) => tx.enqueue(RecordNoteJob, { note: 'doomed', failTimes: 99 }));
    const queue = api.get(QueueRegistry).get('file-generation');
    await waitFor('the job to fail for good', async () => (await queue.getJobState(id)) === 'failed');
    await waitFor('the row to settle', async () => (await row(id))?.settled_at ?? undefined);
    const handler = worker.get(RecordNoteHandler);
    expect(handler.started.filter((n) => n === 'doomed')).toHaveLength(3);

    // Even if Redis forgets the failed job, a settled row is history, not lost work.
    await ctx.flushRedis();
    await sleep(3_000); // three relay rounds with OUTBOX_LOST_AFTER_MS=1000
    expect(await queue.getJobState(id)).toBe('unknown');
    expect(handler.started.filter((n) => n === 'doomed')).toHaveLength(3);
  });
});
