import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { InjectTenantRepositories, Tenant, TenantRepositories } from '@showroom/auth';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { DataSource } from 'typeorm';
import type { BlobStorage, OpenedBlob, StoredBlobRef } from './blob-storage.port';
import { StoredBlob } from './stored-blob.entity';

/** Reads go out, and streamed writes go in, in pieces of this size: nothing holds a whole blob. */
const SLICE_BYTES = 1024 * 1024;

/** The embedded default: blobs as bytea rows, scoped by dealership like everything else. */
@Injectable()
export class PostgresBlobStorage implements BlobStorage {
  constructor(
    @InjectTenantRepositories(StoredBlob) private readonly blobs: TenantRepositories<StoredBlob>,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async put(tenant: Tenant, bytes: Buffer, contentType: string): Promise<string> {
    const id = randomUUID();
    await this.blobs.for(tenant).insert({ id, contentType, sizeBytes: bytes.length, data: bytes });
    return id;
  }

  async get(tenant: Tenant, id: string): Promise<Buffer | undefined> {
    const row = await this.blobs.for(tenant).findOne({ where: { id }, select: { id: true, data: true } });
    if (!row || row.data) return row?.data ?? undefined;
    const opened = await this.open(tenant, id);
    return opened && buffer(opened.body);
  }

  /**
   * bytea has no streaming insert, so the stream is cut into 1 MiB parts (blob_parts), each
   * inserted as it arrives, all in one transaction with the blob's row: a failed or repeated
   * write replaces everything or nothing, and no reader sees half a file.
   */
  async write(tenant: Tenant, id: string, body: Readable, meta: { sizeBytes: number; contentType: string }): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const claimed = (await manager.query(
        `INSERT INTO blobs (id, dealership_id, content_type, size_bytes, data) VALUES ($1, $2, $3, $4, NULL)
         ON CONFLICT (id) DO UPDATE SET content_type = EXCLUDED.content_type, size_bytes = EXCLUDED.size_bytes, data = NULL
         WHERE blobs.dealership_id = EXCLUDED.dealership_id
         RETURNING id`,
        [id, tenant.dealershipId, meta.contentType, meta.sizeBytes],
      )) as unknown[];
      if (claimed.length === 0) throw new Error(`blob ${id} belongs to another dealership`);
      await manager.query(`DELETE FROM blob_parts WHERE parent_id = $1 AND dealership_id = $2`, [id, tenant.dealershipId]);
      let part = 0;
      let size = 0;
      for await (const piece of sliced(body)) {
        await manager.query(`INSERT INTO blob_parts (parent_id, dealership_id, part, data) VALUES ($1, $2, $3, $4)`, [id, tenant.dealershipId, part, piece]);
        part += 1;
        size += piece.length;
      }
      await manager.query(`UPDATE blobs SET size_bytes = $3 WHERE id = $1 AND dealership_id = $2`, [id, tenant.dealershipId, size]);
    });
  }

  /**
   * Streams the blob a slice at a time: its parts in order, or, for a blob written whole, 1 MiB
   * `substring` slices (the column is stored uncompressed, STORAGE EXTERNAL, so Postgres reads
   * only the slice asked for).
   */
  async open(tenant: Tenant, id: string): Promise<OpenedBlob | undefined> {
    const [row] = (await this.dataSource.query(
      `SELECT size_bytes, content_type, data IS NULL AS parted FROM blobs WHERE id = $1 AND dealership_id = $2`,
      [id, tenant.dealershipId],
    )) as { size_bytes: number; content_type: string; parted: boolean }[];
    if (!row) return undefined;
    const dataSource = this.dataSource;
    const removed = () => new Error(`blob ${id} was removed while it was being read`);
    async function* parts(): AsyncGenerator<Buffer> {
      for (let part = 0, read = 0; read < row.size_bytes; part += 1) {
        const [found] = (await dataSource.query(`SELECT data FROM blob_parts WHERE parent_id = $1 AND dealership_id = $2 AND part = $3`, [id, tenant.dealershipId, part])) as {
          data: Buffer;
        }[];
        if (!found) throw removed();
        read += found.data.length;
        yield found.data;
      }
    }
    async function* slices(): AsyncGenerator<Buffer> {
      for (let offset = 0; offset < row.size_bytes; offset += SLICE_BYTES) {
        const [slice] = (await dataSource.query(`SELECT substring(data FROM $3 FOR $4) AS bytes FROM blobs WHERE id = $1 AND dealership_id = $2`, [
          id,
          tenant.dealershipId,
          offset + 1,
          SLICE_BYTES,
        ])) as { bytes: Buffer }[];
        if (!slice) throw removed();
        yield slice.bytes;
      }
    }
    return { body: Readable.from(row.parted ? parts() : slices()), sizeBytes: row.size_bytes, contentType: row.content_type };
  }

  async delete(tenant: Tenant, id: string): Promise<void> {
    await this.blobs.for(tenant).delete({ id });
  }

  async listStored(after: string | undefined, limit: number): Promise<StoredBlobRef[]> {
    const rows = (await this.dataSource.query(`SELECT id, dealership_id, created_at FROM blobs WHERE ($1::uuid IS NULL OR id > $1::uuid) ORDER BY id LIMIT $2`, [
      after ?? null,
      limit,
    ])) as { id: string; dealership_id: string; created_at: Date }[];
    return rows.map((r) => ({ tenant: { dealershipId: r.dealership_id }, id: r.id, storedAt: r.created_at, position: r.id }));
  }
}

/** Re-cuts a stream's chunks (any size) into SLICE_BYTES pieces, holding at most one piece. */
async function* sliced(body: Readable): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  for await (const chunk of body as AsyncIterable<Buffer | string>) {
    let rest = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    while (pendingBytes + rest.length >= SLICE_BYTES) {
      const take = SLICE_BYTES - pendingBytes;
      yield Buffer.concat([...pending, rest.subarray(0, take)]);
      rest = rest.subarray(take);
      pending = [];
      pendingBytes = 0;
    }
    if (rest.length > 0) {
      pending.push(rest);
      pendingBytes += rest.length;
    }
  }
  if (pendingBytes > 0) yield Buffer.concat(pending);
}
