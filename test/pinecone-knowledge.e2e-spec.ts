import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createApiApp } from '../apps/api/src/create-api-app';
import { createWorkerApp } from '../apps/worker/src/create-worker-app';
import { Session, bearer, registerDealership } from './support/auth-helpers';
import { FakePineconeServer } from './support/fake-pinecone-server';
import { TestContext } from './support/test-context';
import { waitFor } from './support/wait-for';

const MANUAL = Array.from(
  { length: 6 },
  (_, i) => `## Section ${i + 1}\n\n${`The hybrid battery module ${i + 1} is covered for eight years of normal driving. `.repeat(40)}`,
).join('\n\n');

/**
 * Knowledge on Pinecone (VECTOR_STORE=pinecone) through the real api, worker and SDK, with a
 * local server speaking Pinecone's wire format: vectors land in the dealership's namespace,
 * and reindex and delete leave no vector behind, even when Pinecone is down at delete time.
 */
describe('knowledge on the Pinecone vector store', () => {
  const pinecone = new FakePineconeServer();
  let ctx: TestContext;
  let api: INestApplication;
  let worker: INestApplication;
  let alpha: Session;
  let beta: Session;

  beforeAll(async () => {
    const host = await pinecone.start();
    ctx = await TestContext.create();
    const config = ctx.config({
      VECTOR_STORE: 'pinecone',
      PINECONE_API_KEY: 'pc-test',
      PINECONE_INDEX_HOST: host,
      PINECONE_UPSERT_BATCH: '3',
      PROVIDER_MAX_RETRIES: '0',
      WORKER_QUEUES: 'ingestion,embeddings',
      EMBEDDING_BATCH_SIZE: '4',
      JOB_BACKOFF_MS: '200',
      RATE_LIMIT_USER_PER_MINUTE: '10000',
      RATE_LIMIT_USER_PER_SECOND: '1000',
    });
    worker = await createWorkerApp(config);
    api = await createApiApp(config);
    await Promise.all([worker.init(), api.init()]);
    alpha = await registerDealership(api, 'Alpha Pinecone Motors');
    beta = await registerDealership(api, 'Beta Pinecone Motors');
  });

  afterAll(async () => {
    await Promise.all([api?.close(), worker?.close()]);
    await ctx?.dispose();
    await pinecone.stop();
  });

  const http = () => request(api.getHttpServer());

  async function waitReady(session: Session, id: string, generation = 0): Promise<void> {
    await waitFor(`document ${id} ready`, async () => {
      const doc = await http().get(`/api/v1/documents/${id}`).set(bearer(session.accessToken));
      const row = await ctx.db.query(`SELECT searchable_generation FROM documents WHERE id = $1`, [id]);
      return doc.body.status === 'ready' && row.rows[0].searchable_generation === generation;
    }, 20_000);
  }

  const chunkIds = async (documentId: string) =>
    (await ctx.db.query(`SELECT id FROM document_chunks WHERE document_id = $1 ORDER BY id`, [documentId])).rows.map((r: { id: string }) => r.id);
  const tombstones = async () => (await ctx.db.query(`SELECT count(*)::int AS n FROM vector_tombstones`)).rows[0].n as number;

  let documentId: string;

  it('upserts every chunk\'s vector into the dealership\'s namespace and searches it there', async () => {
    const res = await http().post('/api/v1/documents').set(bearer(alpha.accessToken)).attach('file', Buffer.from(MANUAL), 'battery.md').expect(202);
    documentId = res.body.id;
    await waitReady(alpha, documentId);
    const ids = await chunkIds(documentId);
    expect(ids.length).toBeGreaterThan(3);
    expect(pinecone.ids(alpha.dealership.id)).toEqual(ids);
    const upserts = pinecone.requests.filter((r) => r.path === '/vectors/upsert');
    expect(Math.max(...upserts.map((r) => (r.body.vectors as unknown[]).length))).toBeLessThanOrEqual(3);

    const hits = await http().post('/api/v1/search').set(bearer(alpha.accessToken)).send({ query: 'hybrid battery module eight years', mode: 'vector' }).expect(200);
    expect(hits.body.items[0].documentId).toBe(documentId);
    expect(pinecone.requests.some((r) => r.path === '/query' && r.body.namespace === alpha.dealership.id)).toBe(true);
    const other = await http().post('/api/v1/search').set(bearer(beta.accessToken)).send({ query: 'hybrid battery module eight years' }).expect(200);
    expect(other.body.items).toEqual([]);
  });

  it('reindex replaces the vectors: the old generation\'s ids are purged from Pinecone', async () => {
    const before = await chunkIds(documentId);
    await http().post(`/api/v1/documents/${documentId}/reindex`).set(bearer(alpha.accessToken)).expect(202);
    await waitReady(alpha, documentId, 1);
    const after = await chunkIds(documentId);
    expect(after).not.toEqual(before);
    await waitFor('old vectors purged', async () => (await tombstones()) === 0);
    expect(pinecone.ids(alpha.dealership.id)).toEqual(after);
  });

  it('delete while Pinecone is down keeps tombstones, then purges every vector once it is back', async () => {
    pinecone.failNext = 3;
    await http().delete(`/api/v1/documents/${documentId}`).set(bearer(alpha.accessToken)).expect(204);
    expect(await chunkIds(documentId)).toEqual([]);
    expect(await tombstones()).toBeGreaterThan(0);
    await waitFor('vectors purged after the outage', async () => (await tombstones()) === 0 && pinecone.ids(alpha.dealership.id).length === 0, 20_000);
    const deletes = pinecone.requests.filter((r) => r.path === '/vectors/delete');
    expect(deletes.every((r) => r.body.namespace === alpha.dealership.id)).toBe(true);
  });
});
