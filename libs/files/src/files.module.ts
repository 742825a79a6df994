import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { provideTenantRepositories } from '@showroom/auth';
import { BLOB_STORAGE } from './blob/blob-storage.port';
import { PostgresBlobStorage } from './blob/postgres-blob-storage';
import { StoredBlob } from './blob/stored-blob.entity';

/** Blob storage for uploads and exports (file generation arrives with the exports issue). */
@Module({
  imports: [TypeOrmModule.forFeature([StoredBlob])],
  providers: [provideTenantRepositories(StoredBlob), { provide: BLOB_STORAGE, useClass: PostgresBlobStorage }],
  exports: [BLOB_STORAGE],
})
export class FilesModule {}
