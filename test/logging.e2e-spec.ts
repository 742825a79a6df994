import { Controller, Get, Global, INestApplication, Logger, Module } from '@nestjs/common';
import { Public } from '@showroom/auth';
import { LOG_DESTINATION, Outbox, RequestContext } from '@showroom/core';
import { Writable } from 'node:stream';
import request from 'supertest';
import { createApiApp } from '../apps/api/src/create-api-app';
import { createWorkerApp } from '../apps/worker/src/create-worker-app';
import { TestContext } from './support/test-context';
import { RecordNoteJob, RecordNoteModule } from './support/test-jobs';
import { waitFor } from './support/wait-for';

/** Collects the JSON lines the apps log, in place of stdout. */
class CapturedLogs extends Writable {
  readonly lines: Record<string, unknown>[] = [];
  readonly raw: string[] = [];

  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    for (const line of chunk.toString().split('\n').filter(Boolean)) {
      this.raw.push(line);
      this.lines.push(JSON.parse(line) as Record<string, unknown>);
    }
    done();
  }
}

const logs = new CapturedLogs();

/** A route that logs while it serves, as handlers and services do. */
@Controller('log-probe')
class LogProbeController {
  private readonly logger = new Logger('LogProbe');

  @Public()
  @Get()
  async probe(): Promise<{ ok: true }> {
    this.logger.log('before the await');
    await new Promise((resolve) => setTimeout(resolve, 5));
    this.logger.log('after the await');
    return { ok: true };
  }
}

@Module({ controllers: [LogProbeController] })
class LogProbeModule {}

@Global()
@Module({ providers: [{ provide: LOG_DESTINATION, useValue: logs }], exports: [LOG_DESTINATION] })
class CaptureLogsModule {}

describe('structured logs', () => {
  let ctx: TestContext;
  let api: INestApplication;
  let worker: INestApplication;

  beforeAll(async () => {
    ctx = await TestContext.create();
    const config = ctx.config({ LOG_LEVEL: 'info', WORKER_QUEUES: 'file-generation' });
    api = await createApiApp(config, [CaptureLogsModule, LogProbeModule]);
    worker = await createWorkerApp(config, [CaptureLogsModule, RecordNoteModule]);
    await Promise.all([api.init(), worker.init()]);
  });

  afterAll(async () => {
    await Promise.all([api?.close(), worker?.close()]);
    await ctx?.dispose();
  });

  it('logs each request once as JSON with its request id and status', async () => {
    await request(api.getHttpServer()).get('/api/v1/not-here').set('X-Request-Id', 'req-log-http').expect(404);
    const line = await waitFor('the request log line', () => logs.lines.find((l) => l.requestId === 'req-log-http' && l.res));
    expect(line).toMatchObject({ req: { method: 'GET', url: '/api/v1/not-here' }, res: { statusCode: 404 }, msg: 'request completed' });
  });

  it('puts the request id on every line logged while serving the request', async () => {
    await request(api.getHttpServer()).get('/api/v1/log-probe').set('X-Request-Id', 'req-log-lines').expect(200);
    await waitFor('the request log line', () => logs.lines.find((l) => l.requestId === 'req-log-lines' && l.msg === 'request completed'));
    const before = logs.lines.find((l) => l.msg === 'before the await');
    const after = logs.lines.find((l) => l.msg === 'after the await');
    expect(before).toMatchObject({ requestId: 'req-log-lines', req: { method: 'GET', url: '/api/v1/log-probe' } });
    expect(after).toMatchObject({ requestId: 'req-log-lines', req: { method: 'GET', url: '/api/v1/log-probe' } });
  });

  it('logs a request outside the prefix (/v1, OpenAI-compatible) exactly once', async () => {
    await request(api.getHttpServer()).get('/v1/models').set('X-Request-Id', 'req-log-once').expect(401);
    await waitFor('the request log line', () => logs.lines.find((l) => l.requestId === 'req-log-once' && l.res));
    // A duplicate would be written in the same tick as the first; give it a moment anyway.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(logs.lines.filter((l) => l.requestId === 'req-log-once' && l.res)).toHaveLength(1);
  });

  it('does not log probes and scrapes per request', async () => {
    for (const path of ['/health/live', '/health/ready', '/metrics']) {
      await request(api.getHttpServer()).get(path).set('X-Request-Id', 'req-log-probe').expect(200);
    }
    await request(api.getHttpServer()).get('/api/v1/not-here').set('X-Request-Id', 'req-log-after-probes').expect(404);
    await waitFor('the next request log line', () => logs.lines.find((l) => l.requestId === 'req-log-after-probes' && l.res));
    expect(logs.lines.filter((l) => l.requestId === 'req-log-probe' && l.res)).toEqual([]);
  });

  it('carries the request id into the job and into what its handler logs', async () => {
    await RequestContext.run('req-log-job', () => api.get(Outbox).transaction((tx) => tx.enqueue(RecordNoteJob, { note: 'logged' })));
    const line = await waitFor('the handler log line', () => logs.lines.find((l) => l.msg === 'recorded note logged'));
    expect(line).toMatchObject({ requestId: 'req-log-job', queue: 'file-generation', job: 'test.record-note', jobId: expect.any(String) });
  });

  it('never writes credentials to the log', async () => {
    await request(api.getHttpServer())
      .post('/api/v1/not-here?x=1')
      .set('Authorization', 'Bearer super-secret-token')
      .set('Cookie', 'session=cookie-secret')
      .send({ password: 'hunter2-secret' })
      .expect(404);
    await waitFor('the request log line', () => logs.lines.find((l) => (l.req as { method?: string } | undefined)?.method === 'POST'));
    expect(logs.raw.join('\n')).not.toMatch(/super-secret-token|cookie-secret|hunter2-secret/);
  });
});
