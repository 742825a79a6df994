import type { Tenant } from '@showroom/auth';

/** Where original uploads and generated files live. Postgres by default; S3-compatible later. */
export interface BlobStorage {
  /** Stores the bytes for this dealership and returns the blob's id. */
  put(tenant: Tenant, bytes: Buffer, contentType: string): Promise<string>;
  /** The bytes, or undefined if there is no such blob in this dealership. */
  get(tenant: Tenant, id: string): Promise<Buffer | undefined>;
  /** Removes the blob; removing a missing one is not an error (deletes are retried). */
  delete(tenant: Tenant, id: string): Promise<void>;
}

export const BLOB_STORAGE = Symbol('BLOB_STORAGE');
