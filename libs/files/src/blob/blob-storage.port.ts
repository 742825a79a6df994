import type { Tenant } from '@showroom/auth';
import type { Readable } from 'node:stream';

/** A stored blob opened for reading. */
export interface OpenedBlob {
  body: Readable;
  sizeBytes: number;
  contentType: string;
}

/**
 * Where original uploads and generated files live: Postgres (default) or an S3-compatible
 * store (BLOB_STORAGE). Every call names the dealership; a blob of another dealership is
 * simply not there.
 */
export interface BlobStorage {
  /** Stores the bytes for this dealership and returns the blob's id. */
  put(tenant: Tenant, bytes: Buffer, contentType: string): Promise<string>;
  /** The bytes, or undefined if there is no such blob in this dealership. */
  get(tenant: Tenant, id: string): Promise<Buffer | undefined>;
  /**
   * Stores a stream of known length under an id the caller chose (a job re-run writes the
   * same id again, replacing the first copy, so retries leave nothing behind).
   */
  write(tenant: Tenant, id: string, body: Readable, meta: { sizeBytes: number; contentType: string }): Promise<void>;
  /** Opens the blob for streaming, or undefined if there is no such blob in this dealership. */
  open(tenant: Tenant, id: string): Promise<OpenedBlob | undefined>;
  /** Removes the blob; removing a missing one is not an error (deletes are retried). */
  delete(tenant: Tenant, id: string): Promise<void>;
  /**
   * Blobs of every dealership, one page in a stable order after `after` (the `position` of the
   * previous page's last entry). For the orphan sweep only.
   */
  listStored(after: string | undefined, limit: number): Promise<StoredBlobRef[]>;
}

export interface StoredBlobRef {
  tenant: Tenant;
  id: string;
  storedAt: Date;
  /** Where the listing goes on from (an id in Postgres, a key in S3). */
  position: string;
}

export const BLOB_STORAGE = Symbol('BLOB_STORAGE');
