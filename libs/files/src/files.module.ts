import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { provideTenantRepositories } from '@showroom/auth';
import { BLOB_STORAGE } from './blob/blob-storage.port';
import { blobStorageProvider } from './blob/blob-storage.provider';
import { PostgresBlobStorage } from './blob/postgres-blob-storage';
import { StoredBlob } from './blob/stored-blob.entity';
import { BlobReferences } from './maintenance/blob-references';
import { OrphanBlobSweep } from './maintenance/orphan-blob-sweep';

/** Blob storage (Postgres or S3-compatible) for uploads and exports; the file renderers are plain functions (index.ts). */
@Module({
  imports: [TypeOrmModule.forFeature([StoredBlob])],
  providers: [provideTenantRepositories(StoredBlob), PostgresBlobStorage, blobStorageProvider, BlobReferences, OrphanBlobSweep],
  exports: [BLOB_STORAGE],
})
export class FilesModule {}
