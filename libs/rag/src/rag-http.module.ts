import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { APP_CONFIG, AppConfig } from '@showroom/core';
import { DocumentsController } from './documents/http/documents.controller';
import { DocumentsRealtimeModule } from './documents/realtime/documents-realtime.module';
import { RagModule } from './rag.module';
import { SearchController } from './search/http/search.controller';
import { SearchWarmup } from './search/search-warmup';
import { SearchWarmupReadiness } from './search/search-warmup.readiness';

/** The api face of knowledge. Uploads are held in memory up to UPLOAD_MAX_BYTES (one file per request). */
@Module({
  imports: [
    RagModule,
    DocumentsRealtimeModule,
    MulterModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ limits: { fileSize: config.knowledge.uploadMaxBytes, files: 1, fields: 5, parts: 10 } }),
    }),
  ],
  controllers: [DocumentsController, SearchController],
  providers: [SearchWarmup, SearchWarmupReadiness],
})
export class RagHttpModule {}
