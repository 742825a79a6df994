import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createApiApp } from '../apps/api/src/create-api-app';
import { createWorkerApp } from '../apps/worker/src/create-worker-app';
import { Session, bearer, registerDealership } from './support/auth-helpers';
import { TestContext } from './support/test-context';
import { waitFor } from './support/wait-for';

const WARRANTY = `# Warranty

## Powertrain

The powertrain warranty covers the engine and transmission for five years or 60,000 miles.

## Corrosion

Body panels are protected against rust-through for seven years with unlimited mileage.
`;

const FINANCING = `# Financing

Loans for new vehicles start at 3.9% APR for 36 months with approved credit.
Leases require a 2,000 dollar down payment.
`;

/** Upload → ingest → embed → hybrid search, through the real api and worker. */
describe('knowledge search', () => {
  let ctx: TestContext;
  let api: INestApplication;
  let worker: INestApplication;
  let alpha: Session;
  let beta: Session;
  const apps: INestApplication[] = [];

  beforeAll(async () => {
    ctx = await TestContext.create();
    const config = ctx.config({ WORKER_QUEUES: 'ingestion,embeddings', EMBEDDING_BATCH_SIZE: '1', RATE_LIMIT_USER_PER_MINUTE: '10000', RATE_LIMIT_USER_PER_SECOND: '1000' });
    worker = await createWorkerApp(config);
    api = await createApiApp(config);
    await Promise.all([worker.init(), api.init()]);
    alpha = await registerDealership(api, 'Alpha Search Motors');
    beta = await registerDealership(api, 'Beta Search Motors');
    await uploadAndWait(alpha, WARRANTY, 'warranty.md');
    await uploadAndWait(alpha, FINANCING, 'financing.md');
    await uploadAndWait(beta, 'Beta only: the powertrain warranty here is ten years.', 'beta-warranty.txt');
  });

  afterAll(async () => {
    await Promise.all([api?.close(), worker?.close(), ...apps.map((app) => app.close())]);
    await ctx?.dispose();
  });

  const http = () => request(api.getHttpServer());

  async function uploadAndWait(session: Session, text: string, name: string): Promise<string> {
    const res = await http().post('/api/v1/documents').set(bearer(session.accessToken)).attach('file', Buffer.from(text), name).expect(202);
    await waitFor(`${name} to be ready`, async () => {
      const doc = await http().get(`/api/v1/documents/${res.body.id}`).set(bearer(session.accessToken));
      return doc.body.status === 'ready';
    });
    return res.body.id as string;
  }

  const search = (session: Session, query: string, topK = 3) =>
    http().post('/api/v1/search').set(bearer(session.accessToken)).send({ query, topK }).expect(200);

  it('finds the passage that answers the question first, with document, page and score', async () => {
    const res = await search(alpha, 'how many miles does the powertrain warranty cover');
    expect(res.body.items[0]).toEqual({
      documentId: expect.any(String),
      documentTitle: 'warranty.md',
      chunkId: expect.any(String),
      text: expect.stringContaining('60,000 miles'),
      page: null,
      score: expect.any(Number),
      relevance: expect.any(Number),
      termCoverage: expect.any(Number),
      matchedAllWords: expect.any(Boolean),
    });
    // The local embedder's vectors encode only words, so hybrid is BM25 alone: no cosine, but
    // most of the question's term weight is in the passage.
    expect(res.body.items[0].termCoverage).toBeGreaterThan(0.5);
    expect(res.body.items.length).toBeLessThanOrEqual(3);
  });

  it('measures retrieval latency by mode and store', async () => {
    await search(alpha, 'powertrain warranty');
    const metrics = await http().get('/metrics').expect(200);
    expect(metrics.text).toMatch(/retrieval_duration_seconds_count\{[^}]*mode="hybrid",store="postgres"[^}]*\} [1-9]/);
  });

  it('answers from one retriever alone when asked (mode), for comparison', async () => {
    const query = 'rust-through body panels';
    const send = (mode: string) => http().post('/api/v1/search').set(bearer(alpha.accessToken)).send({ query, topK: 3, mode });
    const vector = await send('vector').expect(200);
    const fullText = await send('fulltext').expect(200);
    expect(vector.body.items[0].text).toContain('rust-through');
    expect(fullText.body.items[0].text).toContain('rust-through');
    // Full text alone has no cosine similarity to report.
    expect(fullText.body.items.every((item: { relevance: number }) => item.relevance === 0 || item.relevance > 0)).toBe(true);
    await send('semantic').expect(422);
  });

  it('sees a new document at once and forgets a deleted one, whichever api instance cached vectors before', async () => {
    const other = await createApiApp(ctx.config({ RATE_LIMIT_USER_PER_MINUTE: '10000', RATE_LIMIT_USER_PER_SECOND: '1000' }));
    await other.init();
    apps.push(other);
    const ask = (app: INestApplication) =>
      request(app.getHttpServer()).post('/api/v1/search').set(bearer(alpha.accessToken)).send({ query: 'hydrogen fuel cell refuelling', topK: 5, mode: 'vector' }).expect(200);
    await ask(other); // warms the second instance's cache without the new document
    const id = await uploadAndWait(alpha, 'The hydrogen fuel cell refuelling takes five minutes at partner stations.', 'hydrogen.txt');
    expect((await ask(other)).body.items[0]?.documentId).toBe(id);
    await http().delete(`/api/v1/documents/${id}`).set(bearer(alpha.accessToken)).expect(204);
    const after = await ask(other);
    expect(after.body.items.map((item: { documentId: string }) => item.documentId)).not.toContain(id);
  });

  it('keeps every api instance\'s lexical index exact through upload, reindex and delete', async () => {
    const other = await createApiApp(ctx.config({ RATE_LIMIT_USER_PER_MINUTE: '10000', RATE_LIMIT_USER_PER_SECOND: '1000' }));
    await other.init();
    apps.push(other);
    const ask = async (app: INestApplication) =>
      (await request(app.getHttpServer()).post('/api/v1/search').set(bearer(alpha.accessToken)).send({ query: 'When does the detailing bay open on Saturdays?', topK: 5 }).expect(200))
        .body.items as { documentId: string; chunkId: string; termCoverage: number }[];
    // Passages may share the question's stop words ("when", "the"), never what it is about.
    const holdsNothingOfIt = (hits: { termCoverage: number }[]) => hits.every((hit) => hit.termCoverage === 0);
    expect(holdsNothingOfIt(await ask(other))).toBe(true); // both instances index alpha's knowledge without the new document
    expect(holdsNothingOfIt(await ask(api))).toBe(true);
    const id = await uploadAndWait(alpha, 'Detailing bay hours: the detailing bay opens at 9 am on Saturdays.', 'detailing.txt');
    const [first] = await ask(other);
    expect(first).toMatchObject({ documentId: id, termCoverage: 1 });

    await http().post(`/api/v1/documents/${id}/reindex`).set(bearer(alpha.accessToken)).expect(202);
    await waitFor('the reindexed generation to be ready', async () => {
      const [row] = (await ctx.db.query('SELECT status, searchable_generation FROM documents WHERE id = $1', [id])).rows;
      return row.status === 'ready' && row.searchable_generation === 1;
    });
    const reindexed = await ask(other);
    expect(reindexed[0].documentId).toBe(id);
    expect(reindexed.map((hit) => hit.chunkId)).not.toContain(first.chunkId); // the old generation's chunk is gone

    await http().delete(`/api/v1/documents/${id}`).set(bearer(alpha.accessToken)).expect(204);
    for (const app of [other, api]) {
      const after = await ask(app);
      expect(holdsNothingOfIt(after)).toBe(true);
      expect(after.map((hit) => hit.documentId)).not.toContain(id);
    }
  });

  it('a new api instance reports ready only once it has warmed the dealerships searched lately', async () => {
    await http().post('/api/v1/search').set(bearer(alpha.accessToken)).send({ query: 'powertrain warranty', topK: 1 }).expect(200);
    const fresh = await createApiApp(ctx.config({ RATE_LIMIT_USER_PER_MINUTE: '10000', RATE_LIMIT_USER_PER_SECOND: '1000' }));
    await fresh.init();
    apps.push(fresh);
    const readiness = async () => request(fresh.getHttpServer()).get('/health/ready');
    await waitFor('the new instance to be ready', async () => (await readiness()).status === 200);
    expect((await readiness()).body.info.search).toEqual({ status: 'up' });
    const [hit] = (await request(fresh.getHttpServer()).post('/api/v1/search').set(bearer(alpha.accessToken)).send({ query: 'powertrain warranty', topK: 1 }).expect(200)).body.items;
    expect(hit.text).toContain('powertrain warranty covers');
  });

  it('ranks by both retrievers: a financing question finds the financing document', async () => {
    const res = await search(alpha, 'APR loan rate', 1);
    expect(res.body.items).toHaveLength(1);
    expect(res.body.items[0].text).toContain('3.9% APR');
  });

  it('never returns another dealership\'s passages', async () => {
    const alphaHits = await search(alpha, 'powertrain warranty ten years', 10);
    expect(alphaHits.body.items.map((i: { text: string }) => i.text).join(' ')).not.toContain('Beta only');
    const betaHits = await search(beta, 'powertrain warranty', 10);
    expect(betaHits.body.items).toHaveLength(1);
    expect(betaHits.body.items[0].text).toContain('Beta only');
  });

  it('returns nothing, not an error, when nothing matches', async () => {
    const res = await search(alpha, 'zebra xylophone quasar');
    expect(res.body).toEqual({ items: [] });
  });

  it('caches query vectors in Redis and answers the same from the cache', async () => {
    const vectorSearch = () => http().post('/api/v1/search').set(bearer(alpha.accessToken)).send({ query: 'seven years of rust-through cover', topK: 3, mode: 'vector' }).expect(200);
    const before = await ctx.redis.keys(`${ctx.redisPrefix}:query-embedding:*`);
    const first = await vectorSearch();
    const keys = await ctx.redis.keys(`${ctx.redisPrefix}:query-embedding:*`);
    expect(keys.length).toBe(before.length + 1);
    const second = await vectorSearch();
    expect(second.body).toEqual(first.body);
  });

  it('rejects an empty query or a bad topK with 422', async () => {
    await http().post('/api/v1/search').set(bearer(alpha.accessToken)).send({ query: '' }).expect(422);
    await http().post('/api/v1/search').set(bearer(alpha.accessToken)).send({ query: 'warranty', topK: 500 }).expect(422);
    await http().post('/api/v1/search').send({ query: 'warranty' }).expect(401);
  });

  it('embeds in batches: every chunk of a ready document has a vector', async () => {
    const rows = await ctx.db.query(`SELECT count(*)::int AS n FROM document_chunks WHERE embedding IS NULL`);
    expect(rows.rows[0].n).toBe(0);
    const batches = await ctx.db.query(`SELECT count(*)::int AS n FROM outbox_messages WHERE job_name = 'chunks.embed'`);
    expect(batches.rows[0].n).toBeGreaterThanOrEqual(3);
  });
});
