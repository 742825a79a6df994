import type { INestApplication } from '@nestjs/common';
import { BLOB_STORAGE, BlobStorage } from '@showroom/files';
import { randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { createApiApp } from '../apps/api/src/create-api-app';
import { registerDealership } from './support/auth-helpers';
import { TestContext } from './support/test-context';

/** The default blob store (Postgres) streams writes in parts and reads them back exactly, per dealership. */
describe('Postgres blob storage', () => {
  let ctx: TestContext;
  let api: INestApplication;
  let storage: BlobStorage;
  let alpha: { dealershipId: string };
  let beta: { dealershipId: string };

  beforeAll(async () => {
    ctx = await TestContext.create();
    api = await createApiApp(ctx.config({ RATE_LIMIT_AUTH_PER_MINUTE: '1000' }));
    await api.init();
    storage = api.get<BlobStorage>(BLOB_STORAGE, { strict: false });
    alpha = { dealershipId: (await registerDealership(api, 'Alpha Parts')).dealership.id };
    beta = { dealershipId: (await registerDealership(api, 'Beta Parts')).dealership.id };
  });

  afterAll(async () => {
    await api?.close();
    await ctx?.dispose();
  });

  /** A stream of `bytes` in uneven chunks, as a file read or a renderer would give it. */
  function chunked(bytes: Buffer, sizes = [1, 70_000, 999_999, 1_048_576, 3]): Readable {
    const chunks: Buffer[] = [];
    for (let offset = 0, i = 0; offset < bytes.length; i += 1) {
      const size = sizes[i % sizes.length];
      chunks.push(bytes.subarray(offset, offset + size));
      offset += size;
    }
    return Readable.from(chunks);
  }

  const parts = async (id: string) => (await ctx.db.query<{ part: number; size: number }>('SELECT part, length(data) AS size FROM blob_parts WHERE parent_id = $1 ORDER BY part', [id])).rows;

  it('writes a stream as 1 MiB parts and reads back the same bytes, whole and streamed', async () => {
    const bytes = randomBytes(2 * 1024 * 1024 + 12_345);
    const id = randomUUID();
    await storage.write(alpha, id, chunked(bytes), { sizeBytes: bytes.length, contentType: 'application/pdf' });
    expect((await parts(id)).map((p) => p.size)).toEqual([1_048_576, 1_048_576, 12_345]);
    const opened = await storage.open(alpha, id);
    expect(opened).toMatchObject({ sizeBytes: bytes.length, contentType: 'application/pdf' });
    expect((await buffer(opened!.body)).equals(bytes)).toBe(true);
    expect((await storage.get(alpha, id))!.equals(bytes)).toBe(true);
  });

  it('replaces a blob written again under the same id (a retried job), leaving no parts of the first', async () => {
    const id = randomUUID();
    await storage.write(alpha, id, chunked(randomBytes(3 * 1024 * 1024)), { sizeBytes: 3 * 1024 * 1024, contentType: 'text/csv' });
    const second = Buffer.from('second, shorter copy');
    await storage.write(alpha, id, chunked(second), { sizeBytes: second.length, contentType: 'text/csv' });
    expect(await parts(id)).toEqual([{ part: 0, size: second.length }]);
    expect((await storage.get(alpha, id))!.toString()).toBe('second, shorter copy');
  });

  it('keeps nothing of a write whose stream fails half way', async () => {
    const id = randomUUID();
    const failing = Readable.from(
      (async function* () {
        yield randomBytes(1_500_000);
        throw new Error('renderer crashed');
      })(),
    );
    await expect(storage.write(alpha, id, failing, { sizeBytes: 3_000_000, contentType: 'application/pdf' })).rejects.toThrow('renderer crashed');
    expect(await storage.open(alpha, id)).toBeUndefined();
    expect(await parts(id)).toEqual([]);
  });

  it('is per dealership: another one cannot read, overwrite or delete it, and deleting removes its parts', async () => {
    const id = randomUUID();
    const bytes = randomBytes(1_100_000);
    await storage.write(alpha, id, chunked(bytes), { sizeBytes: bytes.length, contentType: 'application/pdf' });
    expect(await storage.open(beta, id)).toBeUndefined();
    expect(await storage.get(beta, id)).toBeUndefined();
    await expect(storage.write(beta, id, chunked(Buffer.from('x')), { sizeBytes: 1, contentType: 'text/plain' })).rejects.toThrow(/another dealership/);
    await storage.delete(beta, id);
    expect((await storage.get(alpha, id))!.equals(bytes)).toBe(true);
    await storage.delete(alpha, id);
    expect(await storage.open(alpha, id)).toBeUndefined();
    expect(await parts(id)).toEqual([]);
  });
});
