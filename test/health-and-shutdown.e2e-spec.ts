import { Controller, Get, Module } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Outbox, QueueRegistry, drainAndClose } from '@showroom/core';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Public } from '@showroom/auth';
import request from 'supertest';
import { createApiApp } from '../apps/api/src/create-api-app';
import { createWorkerApp } from '../apps/worker/src/create-worker-app';
import { TestContext } from './support/test-context';
import { RecordNoteHandler, RecordNoteJob, RecordNoteModule } from './support/test-jobs';
import { waitFor } from './support/wait-for';

/** A request that takes a while, to be in flight when SIGTERM arrives. */
@Public()
@Controller('slow')
class SlowController {
  @Get()
  async slow() {
    await sleep(800);
    return { finished: true };
  }
}

@Module({ controllers: [SlowController] })
class SlowModule {}

describe('health probes and graceful shutdown', () => {
  let ctx: TestContext;

  beforeAll(async () => {
    ctx = await TestContext.create();
  });

  afterAll(async () => {
    await ctx?.dispose();
  });

  async function listen(app: NestExpressApplication): Promise<string> {
    await app.listen(0, '127.0.0.1');
    return `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  }

  it('reports live and ready with Postgres and Redis up, on both apps', async () => {
    const api = await createApiApp(ctx.config());
    const worker = await createWorkerApp(ctx.config({ WORKER_QUEUES: 'embeddings' }), [RecordNoteModule]);
    await Promise.all([api.init(), worker.init()]);
    try {
      await request(api.getHttpServer()).get('/health/live').expect(200, { status: 'ok' });
      const apiReady = await request(api.getHttpServer()).get('/health/ready').expect(200);
      expect(apiReady.body.info).toMatchObject({ postgres: { status: 'up' }, redis: { status: 'up' } });
      const workerReady = await request(worker.getHttpServer()).get('/health/ready').expect(200);
      expect(workerReady.body.info).toMatchObject({ postgres: { status: 'up' }, redis: { status: 'up' }, queues: { status: 'up' } });
    } finally {
      await Promise.all([api.close(), worker.close()]);
    }
  });

  it('is live but not ready when Redis is unreachable, and says which check failed', async () => {
    const api = await createApiApp(ctx.config({ REDIS_URL: 'redis://127.0.0.1:1' }));
    await api.init();
    try {
      await request(api.getHttpServer()).get('/health/live').expect(200);
      const res = await request(api.getHttpServer()).get('/health/ready').expect(503);
      expect(res.body.error.code).toBe('NOT_READY');
      expect(res.body.error.details).toEqual([{ field: 'redis', message: expect.any(String) }]);
    } finally {
      await api.close();
    }
  });

  it('on shutdown the api turns unready at once and finishes in-flight requests before closing', async () => {
    const api = await createApiApp(ctx.config({ SHUTDOWN_READINESS_DELAY_MS: '300' }), [SlowModule]);
    const base = await listen(api);
    const inFlight = fetch(`${base}/api/v1/slow`);
    await sleep(100); // the request is now being handled

    const closing = drainAndClose(api, ctx.config({ SHUTDOWN_READINESS_DELAY_MS: '300' }));
    const readiness = await fetch(`${base}/health/ready`);
    expect(readiness.status).toBe(503);
    expect(((await readiness.json()) as { error: { details: unknown } }).error.details).toEqual([{ field: 'shutdown', message: 'draining for shutdown' }]);

    const slow = await inFlight;
    expect(slow.status).toBe(200);
    expect(await slow.json()).toEqual({ finished: true });
    await closing;
    await expect(fetch(`${base}/health/live`)).rejects.toThrow();
  });

  it('on shutdown the worker stops taking jobs and lets the active one finish', async () => {
    const config = ctx.config({ WORKER_QUEUES: 'file-generation' });
    const api = await createApiApp(config);
    const worker = await createWorkerApp(config, [RecordNoteModule]);
    await Promise.all([api.init(), worker.init()]);
    const handler = worker.get(RecordNoteHandler);
    const outbox = api.get(Outbox);
    const first = await outbox.transaction((tx) => tx.enqueue(RecordNoteJob, { note: 'long', workMs: 1_000 }));
    await waitFor('the long job to start', () => handler.started.includes('long'));
    const second = await outbox.transaction((tx) => tx.enqueue(RecordNoteJob, { note: 'after-sigterm' }));

    // The second job may already have been picked up before shutdown; only the first must be mid-flight.
    await drainAndClose(worker, config);
    expect(handler.handled.map((h) => h.note)).toContain('long');
    const queue = api.get(QueueRegistry).get('file-generation');
    expect(await queue.getJobState(first)).toBe('completed');
    expect(['waiting', 'completed']).toContain(await queue.getJobState(second));
    await api.close();
  });
});
