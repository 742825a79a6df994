import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createApiApp } from '../apps/api/src/create-api-app';
import { createWorkerApp } from '../apps/worker/src/create-worker-app';
import { Session, bearer, registerDealership } from './support/auth-helpers';
import { download, settledExport } from './support/export-helpers';
import { TestContext } from './support/test-context';

/**
 * The limits that can only be known while rendering fail the export with a reason a person can
 * act on (not a retry loop, not a 500): a file over EXPORT_MAX_BYTES, a report over
 * EXPORT_MAX_MESSAGES lines.
 */
describe('exports: limits found while rendering', () => {
  let ctx: TestContext;
  let api: INestApplication;
  let worker: INestApplication;
  let owner: Session;

  beforeAll(async () => {
    ctx = await TestContext.create();
    const config = ctx.config({ EXPORT_MAX_BYTES: '2048', EXPORT_MAX_MESSAGES: '2', RATE_LIMIT_USER_PER_MINUTE: '100000', RATE_LIMIT_USER_PER_SECOND: '100000' });
    worker = await createWorkerApp(config);
    api = await createApiApp(config);
    await Promise.all([worker.init(), api.init()]);
    owner = await registerDealership(api, 'Limits Motors');
  }, 90_000); // app boot is slow when the shared machine is busy

  afterAll(async () => {
    await Promise.all([api?.close(), worker?.close()]);
    await ctx?.dispose();
  });

  const http = () => request(api.getHttpServer());

  it('a file over EXPORT_MAX_BYTES fails at once with the limit named, and leaves no file', async () => {
    const conversation = (await http().post('/api/v1/conversations').set(bearer(owner.accessToken)).send({ title: 'Big' }).expect(201)).body.id;
    await http().post(`/api/v1/conversations/${conversation}/messages`).set(bearer(owner.accessToken)).send({ content: 'Tell me about winter tyres. '.repeat(20) }).expect(201);
    const created = await http().post(`/api/v1/conversations/${conversation}/exports`).set(bearer(owner.accessToken)).send({ format: 'pdf' }).expect(202);
    const done = await settledExport(api, owner, created.body.id);
    expect(done).toMatchObject({ status: 'failed', progress: 100, sizeBytes: null, error: expect.stringContaining('larger than 2048 bytes') });
    expect((await ctx.db.query('SELECT count(*)::int AS n FROM blobs WHERE id = $1', [created.body.id])).rows[0].n).toBe(0);
    const res = await download(api, owner, created.body.id);
    expect(res.status).toBe(409);
    expect(JSON.parse(res.text()).error).toMatchObject({ code: 'EXPORT_NOT_READY', message: expect.stringContaining('This export failed: The file would be larger than 2048 bytes') });
  });

  it('a report with more lines than EXPORT_MAX_MESSAGES fails asking for a shorter range', async () => {
    // Three different questions the assistant declines (no documents at all).
    const conversation = (await http().post('/api/v1/conversations').set(bearer(owner.accessToken)).send({}).expect(201)).body.id;
    for (const question of ['Do you sell boats?', 'Do you sell bikes?', 'Do you sell planes?']) {
      await http().post(`/api/v1/conversations/${conversation}/messages`).set(bearer(owner.accessToken)).send({ content: question }).expect(201);
    }
    const created = await http().post('/api/v1/reports').set(bearer(owner.accessToken)).send({ kind: 'knowledge-gaps', format: 'csv' }).expect(202);
    expect(await settledExport(api, owner, created.body.id)).toMatchObject({ status: 'failed', error: 'The report has more than 2 lines; choose a shorter date range.' });
  });
});
