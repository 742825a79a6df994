import type { Provider } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@showroom/core';
import { BLOB_STORAGE } from './blob-storage.port';
import { PostgresBlobStorage } from './postgres-blob-storage';
import { S3BlobStorage } from './s3-blob-storage';

/** BLOB_STORAGE picks the adapter for uploads and exports alike. */
export const blobStorageProvider: Provider = {
  provide: BLOB_STORAGE,
  inject: [APP_CONFIG, PostgresBlobStorage],
  useFactory: (config: AppConfig, postgres: PostgresBlobStorage) => (config.blobStorage.driver === 's3' ? new S3BlobStorage(config.blobStorage.s3, config.providers) : postgres),
};
