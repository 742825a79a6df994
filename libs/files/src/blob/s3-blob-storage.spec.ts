import { Readable } from 'node:stream';
import { FakeS3Server } from '../../../../test/support/fake-s3-server';
import { S3BlobStorage } from './s3-blob-storage';

const dealerA = { dealershipId: '11111111-1111-4111-8111-111111111111' };
const dealerB = { dealershipId: '22222222-2222-4222-8222-222222222222' };

/** The real @aws-sdk/client-s3 against a local server speaking S3's REST wire format, path-style. */
describe('S3BlobStorage', () => {
  const fake = new FakeS3Server(['showroom-files']);
  let endpoint: string;

  beforeAll(async () => {
    endpoint = await fake.start();
  });
  afterAll(() => fake.stop());
  beforeEach(() => {
    fake.requests.length = 0;
    fake.buckets.get('showroom-files')!.clear();
    fake.failNext = 0;
  });

  const store = (overrides: Partial<ConstructorParameters<typeof S3BlobStorage>[0]> = {}) =>
    new S3BlobStorage(
      { bucket: 'showroom-files', prefix: 'blobs/', region: 'eu-central-1', endpoint, forcePathStyle: true, accessKeyId: 'AKIDTEST', secretAccessKey: 'secret-test', ...overrides },
      { timeoutMs: 2_000, maxRetries: 1 },
    );

  it('puts and gets bytes under <prefix><dealership>/<id>, signed with the configured key', async () => {
    const s3 = store();
    const id = await s3.put(dealerA, Buffer.from('hello wörld'), 'text/plain');
    expect(fake.keys('showroom-files')).toEqual([`blobs/${dealerA.dealershipId}/${id}`]);
    expect(fake.requests[0]).toMatchObject({ method: 'PUT', bucket: 'showroom-files', accessKeyId: 'AKIDTEST' });
    expect((await s3.get(dealerA, id))?.toString()).toBe('hello wörld');
  });

  it('streams a write of known length and streams it back with its size and type', async () => {
    const s3 = store();
    const payload = Buffer.alloc(3 * 1024 * 1024 + 7, 'x');
    const source = Readable.from((function* () {
      for (let at = 0; at < payload.length; at += 64 * 1024) yield payload.subarray(at, at + 64 * 1024);
    })());
    await s3.write(dealerA, 'export-1', source, { sizeBytes: payload.length, contentType: 'application/pdf' });
    const opened = await s3.open(dealerA, 'export-1');
    expect(opened).toMatchObject({ sizeBytes: payload.length, contentType: 'application/pdf' });
    const chunks: Buffer[] = [];
    for await (const chunk of opened!.body) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(payload)).toBe(true);
  });

  it('writing the same id again replaces the object (a retried job leaves one copy)', async () => {
    const s3 = store();
    await s3.write(dealerA, 'same', Readable.from([Buffer.from('first')]), { sizeBytes: 5, contentType: 'text/csv' });
    await s3.write(dealerA, 'same', Readable.from([Buffer.from('second')]), { sizeBytes: 6, contentType: 'text/csv' });
    expect(fake.keys('showroom-files')).toHaveLength(1);
    expect((await s3.get(dealerA, 'same'))?.toString()).toBe('second');
  });

  it('does not find another dealership\'s blob, and deleting twice is fine', async () => {
    const s3 = store();
    const id = await s3.put(dealerA, Buffer.from('a'), 'text/plain');
    expect(await s3.open(dealerB, id)).toBeUndefined();
    expect(await s3.get(dealerB, id)).toBeUndefined();
    await s3.delete(dealerB, id); // names a key that is not there: A's object stays
    expect(await s3.get(dealerA, id)).toBeDefined();
    await s3.delete(dealerA, id);
    await s3.delete(dealerA, id);
    expect(await s3.open(dealerA, id)).toBeUndefined();
  });

  it('retries a throttled request, and reports a store that stays down as 503 STORAGE_UNAVAILABLE', async () => {
    const s3 = store();
    fake.failNext = 1;
    const id = await s3.put(dealerA, Buffer.from('after one retry'), 'text/plain');
    expect((await s3.get(dealerA, id))?.toString()).toBe('after one retry');
    fake.failNext = 10;
    await expect(s3.put(dealerA, Buffer.from('x'), 'text/plain')).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE', status: 503 });
    await expect(store({ bucket: 'missing-bucket' }).put(dealerA, Buffer.from('x'), 'text/plain')).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
  });

  it('lists every dealership\'s blobs in pages for the orphan sweep, skipping keys it did not write', async () => {
    const s3 = store();
    const ids = [await s3.put(dealerA, Buffer.from('a'), 'text/plain'), await s3.put(dealerB, Buffer.from('b'), 'text/plain'), await s3.put(dealerA, Buffer.from('c'), 'text/plain')];
    fake.buckets.get('showroom-files')!.set('blobs/stray-file', { body: Buffer.from('x'), contentType: 'text/plain' });
    const first = await s3.listStored(undefined, 2);
    const rest = await s3.listStored(first.at(-1)!.position, 10);
    const listed = [...first, ...rest];
    expect(listed.map((b) => b.id).sort()).toEqual([...ids].sort());
    expect(listed.find((b) => b.id === ids[1])!.tenant).toEqual(dealerB);
    expect(listed.every((b) => b.storedAt instanceof Date && b.storedAt.getTime() <= Date.now())).toBe(true);
  });
});
