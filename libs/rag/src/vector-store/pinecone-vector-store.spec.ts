import { AppException } from '@showroom/core';
import { FakePineconeServer } from '../../../../test/support/fake-pinecone-server';
import { PineconeVectorStore } from './pinecone-vector-store';

/** The real Pinecone SDK against a local server speaking the index data-plane wire format. */
describe('PineconeVectorStore', () => {
  const fake = new FakePineconeServer();
  let host: string;

  beforeAll(async () => {
    host = await fake.start();
  });
  afterAll(() => fake.stop());
  beforeEach(() => {
    fake.requests.length = 0;
    fake.namespaces.clear();
    fake.failNext = 0;
  });

  const store = (maxRetries = 2) =>
    new PineconeVectorStore({ apiKey: 'pc-test-key', index: 'showroom', indexHost: host, upsertBatch: 2, timeoutMs: 2_000, maxRetries });
  const unit = (i: number, dims = 4) => Array.from({ length: dims }, (_, j) => (j === i % dims ? 1 : 0));
  const records = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `00000000-0000-4000-8000-00000000000${i}`, documentId: 'doc-1', values: unit(i) }));

  it('upserts in batches into the dealership\'s own namespace, with the key and the document id', async () => {
    await store().upsert('dealer-a', records(5));
    const upserts = fake.requests.filter((r) => r.path === '/vectors/upsert');
    expect(upserts.map((r) => (r.body.vectors as unknown[]).length)).toEqual([2, 2, 1]);
    expect(upserts.every((r) => r.apiKey === 'pc-test-key' && r.body.namespace === 'dealer-a')).toBe(true);
    expect((upserts[0].body.vectors as { metadata: unknown }[])[0].metadata).toEqual({ documentId: 'doc-1' });
    expect(fake.ids('dealer-a')).toHaveLength(5);
  });

  it('queries only the dealership\'s namespace, best first', async () => {
    await store().upsert('dealer-a', records(3));
    await store().upsert('dealer-b', [{ id: 'b-only', documentId: 'doc-b', values: unit(1) }]);
    const matches = await store().query('dealer-a', unit(1), 2);
    expect(matches[0]).toEqual({ id: records(3)[1].id, score: expect.closeTo(1, 5) });
    expect(matches.map((m) => m.id)).not.toContain('b-only');
  });

  it('deletes by id (serverless indexes cannot delete by filter)', async () => {
    await store().upsert('dealer-a', records(4));
    await store().delete('dealer-a', records(4).slice(0, 3).map((r) => r.id));
    expect(fake.ids('dealer-a')).toEqual([records(4)[3].id]);
    expect(fake.requests.filter((r) => r.path === '/vectors/delete').every((r) => Array.isArray(r.body.ids) && !r.body.filter)).toBe(true);
  });

  it('retries a failed call within the bounded retries', async () => {
    fake.failNext = 1;
    await store(2).upsert('dealer-a', records(1));
    expect(fake.requests.filter((r) => r.path === '/vectors/upsert')).toHaveLength(2);
    expect(fake.ids('dealer-a')).toHaveLength(1);
  });

  it('opens the circuit while Pinecone keeps failing and then fails fast with 503', async () => {
    const flaky = store(0);
    fake.failNext = 1_000;
    for (let i = 0; i < 5; i += 1) await expect(flaky.query('dealer-a', unit(0), 1)).rejects.toThrow();
    const before = fake.requests.length;
    const failure = await flaky.query('dealer-a', unit(0), 1).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(AppException);
    expect((failure as AppException).status).toBe(503);
    expect(fake.requests.length).toBe(before);
  });
});
