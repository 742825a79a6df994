import { Global, INestApplication, Module } from '@nestjs/common';
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
    api = await createApiApp(config, [CaptureLogsModule]);
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
