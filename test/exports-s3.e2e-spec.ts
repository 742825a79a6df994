import type { INestApplication } from '@nestjs/common';
import { extractText, getDocumentProxy } from 'unpdf';
import request from 'supertest';
import { createApiApp } from '../apps/api/src/create-api-app';
import { createWorkerApp } from '../apps/worker/src/create-worker-app';
import { Session, bearer, registerDealership } from './support/auth-helpers';
import { download, settledExport } from './support/export-helpers';
import { FakeS3Server } from './support/fake-s3-server';
import { TestContext } from './support/test-context';
import { waitFor } from './support/wait-for';

const BUCKET = 'showroom-exports';

/**
 * BLOB_STORAGE=s3: exports and uploaded originals go through the real @aws-sdk/client-s3 to a
 * local server speaking S3's wire format (path-style, as MinIO is addressed). Nothing lands
 * in the blobs table.
 */
describe('exports and uploads on S3-compatible storage', () => {
  const s3 = new FakeS3Server([BUCKET]);
  let ctx: TestContext;
  let api: INestApplication;
  let worker: INestApplication;
  let owner: Session;

  beforeAll(async () => {
    const endpoint = await s3.start();
    ctx = await TestContext.create();
    const config = ctx.config({
      BLOB_STORAGE: 's3',
      S3_BUCKET: BUCKET,
      S3_PREFIX: 'showroom/',
      S3_ENDPOINT: endpoint,
      S3_FORCE_PATH_STYLE: 'true',
      S3_ACCESS_KEY_ID: 'AKIDEXPORTS',
      S3_SECRET_ACCESS_KEY: 'exports-secret',
      EXPORT_SWEEP_INTERVAL_MS: '1000',
      JOB_SCHEDULE_RESYNC_MS: '1000',
      RATE_LIMIT_USER_PER_MINUTE: '100000',
      RATE_LIMIT_USER_PER_SECOND: '100000',
    });
    worker = await createWorkerApp(config);
    api = await createApiApp(config);
    await Promise.all([worker.init(), api.init()]);
    owner = await registerDealership(api, 'Bucket Motors');
  }, 90_000); // app boot is slow when the shared machine is busy

  afterAll(async () => {
    await Promise.all([api?.close(), worker?.close()]);
    await ctx?.dispose();
    await s3.stop();
  });

  const http = () => request(api.getHttpServer());

  it('stores the upload and the export as objects under <prefix><dealership>/, downloads from S3, and the sweep deletes the object', async () => {
    const doc = await http().post('/api/v1/documents').set(bearer(owner.accessToken)).attach('file', Buffer.from('# Loaners\n\nA loaner car is provided for warranty repairs over two days.\n'), 'loaners.md').expect(202);
    await waitFor('the upload to be ready', async () => (await http().get(`/api/v1/documents/${doc.body.id}`).set(bearer(owner.accessToken))).body.status === 'ready', 45_000);
    const conversation = (await http().post('/api/v1/conversations').set(bearer(owner.accessToken)).send({ title: 'Loaner' }).expect(201)).body.id;
    await http().post(`/api/v1/conversations/${conversation}/messages`).set(bearer(owner.accessToken)).send({ content: 'Is a loaner car provided for warranty repairs?' }).expect(201);

    const created = await http().post(`/api/v1/conversations/${conversation}/exports`).set(bearer(owner.accessToken)).send({ format: 'pdf' }).expect(202);
    expect(await settledExport(api, owner, created.body.id)).toMatchObject({ status: 'ready' });
    const exportKey = `showroom/${owner.dealership.id}/${created.body.id}`;
    expect(s3.keys(BUCKET)).toContain(exportKey);
    expect(s3.keys(BUCKET).every((key) => key.startsWith(`showroom/${owner.dealership.id}/`))).toBe(true);
    expect(s3.keys(BUCKET)).toHaveLength(2); // the original upload and the export
    expect(s3.requests.every((r) => r.accessKeyId === 'AKIDEXPORTS')).toBe(true);
    expect((await ctx.db.query('SELECT count(*)::int AS n FROM blobs')).rows[0].n).toBe(0);

    const file = await download(api, owner, created.body.id);
    expect(file.status).toBe(200);
    expect(file.bytes.equals(s3.buckets.get(BUCKET)!.get(exportKey)!.body)).toBe(true);
    const { text } = await extractText(await getDocumentProxy(new Uint8Array(file.bytes)), { mergePages: true });
    expect(text).toContain('Is a loaner car provided for warranty repairs?');

    await ctx.db.query(`UPDATE file_exports SET expires_at = now() - interval '1 second' WHERE id = $1`, [created.body.id]);
    await waitFor('the sweep to delete the object', () => !s3.keys(BUCKET).includes(exportKey), 15_000);
    expect((await download(api, owner, created.body.id)).status).toBe(410);
  }, 90_000);

  it('a storage outage at download is 503 STORAGE_UNAVAILABLE, not a 500', async () => {
    const conversation = (await http().post('/api/v1/conversations').set(bearer(owner.accessToken)).send({}).expect(201)).body.id;
    const created = await http().post(`/api/v1/conversations/${conversation}/exports`).set(bearer(owner.accessToken)).send({ format: 'csv' }).expect(202);
    await settledExport(api, owner, created.body.id);
    s3.failNext = 100;
    const res = await download(api, owner, created.body.id);
    s3.failNext = 0;
    expect(res.status).toBe(503);
    expect(JSON.parse(res.text()).error.code).toBe('STORAGE_UNAVAILABLE');
  }, 30_000);
});
