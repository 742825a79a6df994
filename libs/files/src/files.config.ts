import { z } from 'zod';
import { defineConfigSection, envBool as bool, envInt as int, envUrl as url } from '@showroom/core';

export interface BlobStorageSettings {
  /** `postgres` (default: bytea rows, no extra service) or `s3` (any S3-compatible store). */
  driver: 'postgres' | 's3';
  /** How often the worker removes blobs no row references. */
  sweepIntervalMs: number;
  /** A blob younger than this is never an orphan (its row may still be committing). */
  orphanGraceMs: number;
  s3: {
    bucket: string | undefined;
    /** Prepended to every key, e.g. `showroom/`; the dealership id follows, then the blob id. */
    prefix: string;
    region: string;
    /** For MinIO, R2, Ceph, LocalStack…; unset means AWS. */
    endpoint: string | undefined;
    /** `bucket` in the path instead of the host name (MinIO and most self-hosted stores need it). */
    forcePathStyle: boolean;
    /** Both or neither; neither means the SDK's default chain (IAM role, web identity, env, profile). */
    accessKeyId: string | undefined;
    secretAccessKey: string | undefined;
  };
}

declare module '@showroom/core' {
  interface AppConfig {
    blobStorage: BlobStorageSettings;
  }
}

export const filesConfig = defineConfigSection({
  owner: 'files',
  env: {
    BLOB_STORAGE: z.enum(['postgres', 's3']).default('postgres'),
    BLOB_SWEEP_INTERVAL_MS: int(60_000, 7 * 24 * 3_600_000).default(3_600_000),
    BLOB_ORPHAN_GRACE_MS: int(0, 30 * 24 * 3_600_000).default(3_600_000),
    S3_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { message: 'expected an S3 bucket name' }).optional(),
    S3_PREFIX: z.string().regex(/^([A-Za-z0-9!_.*'()-]+\/)*$/, { message: 'expected path segments ending with "/" (or empty)' }).default(''),
    S3_REGION: z.string().min(1).default('us-east-1'),
    S3_ENDPOINT: url(['https:', 'http:']).optional(),
    S3_FORCE_PATH_STYLE: bool.default(false),
    S3_ACCESS_KEY_ID: z.string().min(1).optional(),
    S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  },
  check(env, problem) {
    if (env.BLOB_STORAGE === 's3' && !env.S3_BUCKET) problem('S3_BUCKET', 'required when BLOB_STORAGE=s3');
    if (Boolean(env.S3_ACCESS_KEY_ID) !== Boolean(env.S3_SECRET_ACCESS_KEY)) {
      problem(env.S3_ACCESS_KEY_ID ? 'S3_SECRET_ACCESS_KEY' : 'S3_ACCESS_KEY_ID', 'set both S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY, or neither');
    }
  },
  read: (e) => ({
    blobStorage: {
      driver: e.BLOB_STORAGE,
      sweepIntervalMs: e.BLOB_SWEEP_INTERVAL_MS,
      orphanGraceMs: e.BLOB_ORPHAN_GRACE_MS,
      s3: {
        bucket: e.S3_BUCKET,
        prefix: e.S3_PREFIX,
        region: e.S3_REGION,
        endpoint: e.S3_ENDPOINT,
        forcePathStyle: e.S3_FORCE_PATH_STYLE,
        accessKeyId: e.S3_ACCESS_KEY_ID,
        secretAccessKey: e.S3_SECRET_ACCESS_KEY,
      },
    },
  }),
});
