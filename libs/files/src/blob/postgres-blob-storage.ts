import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { InjectTenantRepositories, Tenant, TenantRepositories } from '@showroom/auth';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { DataSource } from 'typeorm';
import type { BlobStorage, OpenedBlob, StoredBlobRef } from './blob-storage.port';
import { StoredBlob } from './stored-blob.entity';

/** Reads go out in slices of this size, so a download never holds the whole blob. */
const READ_SLICE_BYTES = 1024 * 1024;

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
    return row?.data;
  }

  /**
   * bytea has no streaming insert, so the bytes are gathered first; callers cap what they
   * write (EXPORT_MAX_BYTES, UPLOAD_MAX_BYTES). Use BLOB_STORAGE=s3 for large files.
   */
  async write(tenant: Tenant, id: string, body: Readable, meta: { sizeBytes: number; contentType: string }): Promise<void> {
    const bytes = await buffer(body);
    await this.dataSource.query(
      `INSERT INTO blobs (id, dealership_id, content_type, size_bytes, data) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (id) DO UPDATE SET content_type = EXCLUDED.content_type, size_bytes = EXCLUDED.size_bytes, data = EXCLUDED.data
       WHERE blobs.dealership_id = EXCLUDED.dealership_id`,
      [id, tenant.dealershipId, meta.contentType, bytes.length, bytes],
    );
  }

  /**
   * Streams the blob in 1 MiB `substring` slices: the column is stored uncompressed
   * (STORAGE EXTERNAL), so Postgres reads only the slice asked for.
   */
  async open(tenant: Tenant, id: string): Promise<OpenedBlob | undefined> {
    const row = await this.blobs.for(tenant).findOne({ where: { id }, select: { id: true, sizeBytes: true, contentType: true } });
    if (!row) return undefined;
    const dataSource = this.dataSource;
    async function* slices(): AsyncGenerator<Buffer> {
      for (let offset = 0; offset < row!.sizeBytes; offset += READ_SLICE_BYTES) {
        const [slice] = (await dataSource.query(`SELECT substring(data FROM $3 FOR $4) AS bytes FROM blobs WHERE id = $1 AND dealership_id = $2`, [
          id,
          tenant.dealershipId,
          offset + 1,
          READ_SLICE_BYTES,
        ])) as { bytes: Buffer }[];
        if (!slice) throw new Error(`blob ${id} was removed while it was being read`);
        yield slice.bytes;
      }
    }
    return { body: Readable.from(slices()), sizeBytes: row.sizeBytes, contentType: row.contentType };
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
