import type { INestApplication } from '@nestjs/common';
import { BLOB_STORAGE, BlobStorage } from '@showroom/files';
import request from 'supertest';
import { createApiApp } from '../apps/api/src/create-api-app';
import { createWorkerApp } from '../apps/worker/src/create-worker-app';
import { OrphanBlobSweep } from '../libs/files/src/maintenance/orphan-blob-sweep';
import { bearer, registerDealership } from './support/auth-helpers';
import { TestContext } from './support/test-context';

/** The maintenance sweep removes blobs no row references, and nothing else. */
describe('orphan blob sweep', () => {
  let ctx: TestContext;
  let api: INestApplication;
  let worker: INestApplication;

  beforeAll(async () => {
    ctx = await TestContext.create();
    const config = ctx.config({ WORKER_QUEUES: 'maintenance', BLOB_ORPHAN_GRACE_MS: '3600000', RATE_LIMIT_AUTH_PER_MINUTE: '1000' });
    api = await createApiApp(config);
    await api.init();
    worker = await createWorkerApp(config);
    await worker.init();
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await ctx?.dispose();
  });

  const blobIds = async () => (await ctx.db.query<{ id: string }>('SELECT id FROM blobs')).rows.map((r) => r.id);
  const removedMetric = async () => Number(/blob_orphans_removed_total\{[^}]*\} (\d+)/.exec((await request(worker.getHttpServer()).get('/metrics').expect(200)).text)?.[1]);

  it('removes old unreferenced blobs of every dealership, keeps referenced and young ones, and counts what it removed', async () => {
    const alpha = await registerDealership(api, 'Alpha Blobs');
    const beta = await registerDealership(api, 'Beta Blobs');
    const upload = await request(api.getHttpServer()).post('/api/v1/documents').set(bearer(alpha.accessToken)).attach('file', Buffer.from('Warranty: five years.'), 'w.txt').expect(202);
    const documentBlob = (await ctx.db.query('SELECT blob_id FROM documents WHERE id = $1', [upload.body.id])).rows[0].blob_id as string;

    const storage = api.get<BlobStorage>(BLOB_STORAGE, { strict: false });
    const tenantOf = (s: typeof alpha) => ({ dealershipId: s.dealership.id });
    // What a crash between a blob's put and its row's commit (or a row's delete and its blob's delete) leaves.
    const orphanA = await storage.put(tenantOf(alpha), Buffer.from('orphan a'), 'text/plain');
    const orphanB = await storage.put(tenantOf(beta), Buffer.from('orphan b'), 'text/plain');
    // A table of some other lib holding a blob id under the naming convention (*_blob_id).
    const attached = await storage.put(tenantOf(beta), Buffer.from('attached'), 'text/plain');
    await ctx.db.query('CREATE TABLE sweep_probe_attachments (id serial PRIMARY KEY, report_blob_id uuid)');
    await ctx.db.query('INSERT INTO sweep_probe_attachments (report_blob_id) VALUES ($1)', [attached]);
    await ctx.db.query(`UPDATE blobs SET created_at = now() - interval '2 hours'`);
    // Younger than the grace period: its row may still be committing.
    const young = await storage.put(tenantOf(alpha), Buffer.from('young'), 'text/plain');

    const before = await removedMetric();
    const result = await worker.get(OrphanBlobSweep, { strict: false }).sweep();

    expect(result).toEqual({ checked: 4, removed: 2 });
    expect((await blobIds()).sort()).toEqual([documentBlob, attached, young].sort());
    expect(await removedMetric()).toBe(before + 2);
    // Nothing left to remove: a second run removes nothing.
    expect((await worker.get(OrphanBlobSweep, { strict: false }).sweep()).removed).toBe(0);
    expect([orphanA, orphanB].some((id) => id === documentBlob)).toBe(false);
  });
});
