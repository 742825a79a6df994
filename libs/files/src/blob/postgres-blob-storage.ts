import { Injectable } from '@nestjs/common';
import { InjectTenantRepositories, Tenant, TenantRepositories } from '@showroom/auth';
import { randomUUID } from 'node:crypto';
import type { BlobStorage } from './blob-storage.port';
import { StoredBlob } from './stored-blob.entity';

/** The embedded default: blobs as bytea rows, scoped by dealership like everything else. */
@Injectable()
export class PostgresBlobStorage implements BlobStorage {
  constructor(@InjectTenantRepositories(StoredBlob) private readonly blobs: TenantRepositories<StoredBlob>) {}

  async put(tenant: Tenant, bytes: Buffer, contentType: string): Promise<string> {
    const id = randomUUID();
    await this.blobs.for(tenant).insert({ id, contentType, sizeBytes: bytes.length, data: bytes });
    return id;
  }

  async get(tenant: Tenant, id: string): Promise<Buffer | undefined> {
    const row = await this.blobs.for(tenant).findOne({ where: { id }, select: { id: true, data: true } });
    return row?.data;
  }

  async delete(tenant: Tenant, id: string): Promise<void> {
    await this.blobs.for(tenant).delete({ id });
  }
}
