import { HttpStatus, Logger, OnApplicationShutdown } from '@nestjs/common';
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, NoSuchKey, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import type { Tenant } from '@showroom/auth';
import { AppException } from '@showroom/core';
import type { BlobStorageSettings } from '../files.config';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { BlobStorage, OpenedBlob, StoredBlobRef } from './blob-storage.port';

/**
 * Blobs in an S3-compatible bucket (AWS S3, MinIO, Cloudflare R2, Ceph…) through the official
 * SDK, keyed `<S3_PREFIX><dealershipId>/<blobId>`: the dealership is part of every key, so a
 * blob id of another dealership names an object that does not exist here. Writes and reads
 * are streams of known length; nothing is held whole in memory.
 */
export class S3BlobStorage implements BlobStorage, OnApplicationShutdown {
  private readonly logger = new Logger(S3BlobStorage.name);
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;

  constructor(s3: BlobStorageSettings['s3'], providers: { timeoutMs: number; maxRetries: number }) {
    if (!s3.bucket) throw new Error('S3_BUCKET is required when BLOB_STORAGE=s3');
    this.bucket = s3.bucket;
    this.prefix = s3.prefix;
    this.client = new S3Client({
      region: s3.region,
      endpoint: s3.endpoint,
      forcePathStyle: s3.forcePathStyle,
      credentials: s3.accessKeyId && s3.secretAccessKey ? { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey } : undefined,
      // The SDK retries throttling and 5xx with backoff; bounded like every other provider.
      maxAttempts: providers.maxRetries + 1,
      requestHandler: { connectionTimeout: providers.timeoutMs, requestTimeout: providers.timeoutMs },
    });
  }

  async put(tenant: Tenant, bytes: Buffer, contentType: string): Promise<string> {
    const id = randomUUID();
    await this.send(new PutObjectCommand({ Bucket: this.bucket, Key: this.key(tenant, id), Body: bytes, ContentType: contentType, ContentLength: bytes.length }));
    return id;
  }

  async get(tenant: Tenant, id: string): Promise<Buffer | undefined> {
    const opened = await this.open(tenant, id);
    if (!opened) return undefined;
    const chunks: Buffer[] = [];
    for await (const chunk of opened.body) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  async write(tenant: Tenant, id: string, body: Readable, meta: { sizeBytes: number; contentType: string }): Promise<void> {
    // A known ContentLength lets the SDK stream the body in one PUT (no buffering, no multipart).
    await this.send(new PutObjectCommand({ Bucket: this.bucket, Key: this.key(tenant, id), Body: body, ContentType: meta.contentType, ContentLength: meta.sizeBytes }));
  }

  async open(tenant: Tenant, id: string): Promise<OpenedBlob | undefined> {
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.key(tenant, id) }));
      if (!(object.Body instanceof Readable)) throw new Error('the S3 response has no body stream');
      return { body: object.Body, sizeBytes: object.ContentLength ?? 0, contentType: object.ContentType ?? 'application/octet-stream' };
    } catch (error) {
      if (error instanceof NoSuchKey || (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404)) return undefined;
      throw this.unavailable(error);
    }
  }

  /** S3 answers 204 for a key that is not there, so a repeated delete is fine. */
  async delete(tenant: Tenant, id: string): Promise<void> {
    await this.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.key(tenant, id) }));
  }

  /** ListObjectsV2 in key order; LastModified is when the object was (last) written. */
  async listStored(after: string | undefined, limit: number): Promise<StoredBlobRef[]> {
    let listed;
    try {
      listed = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.prefix, StartAfter: after, MaxKeys: limit }));
    } catch (error) {
      throw this.unavailable(error);
    }
    const refs: StoredBlobRef[] = [];
    for (const object of listed.Contents ?? []) {
      const [dealershipId, id, ...rest] = (object.Key ?? '').slice(this.prefix.length).split('/');
      if (!dealershipId || !id || rest.length > 0) continue; // not a key this adapter wrote
      refs.push({ tenant: { dealershipId }, id, storedAt: object.LastModified ?? new Date(), position: object.Key! });
    }
    return refs;
  }

  onApplicationShutdown(): void {
    this.client.destroy();
  }

  private key(tenant: Tenant, id: string): string {
    return `${this.prefix}${tenant.dealershipId}/${id}`;
  }

  private async send(command: PutObjectCommand | DeleteObjectCommand): Promise<void> {
    try {
      await this.client.send(command as PutObjectCommand);
    } catch (error) {
      throw this.unavailable(error);
    }
  }

  /** A storage failure is ours, not the caller's: 503 with the envelope, details in the log only. */
  private unavailable(error: unknown): AppException {
    this.logger.warn(`S3 request failed: ${(error as Error).message}`);
    return new AppException(HttpStatus.SERVICE_UNAVAILABLE, 'STORAGE_UNAVAILABLE', 'File storage is not reachable right now; try again shortly.');
  }
}
