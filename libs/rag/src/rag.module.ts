import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { provideTenantRepositories } from '@showroom/auth';
import { FilesModule } from '@showroom/files';
import { DocumentChunkRow } from './documents/document-chunk.entity';
import { KnowledgeDocument } from './documents/document.entity';
import { DocumentsService } from './documents/documents.service';
import { DocumentEvents } from './documents/events/document-events';
import { DocumentReconciler } from './ingestion/document-reconciler';
import { EmbedChunksHandler } from './ingestion/embed-chunks.handler';
import { IngestDocumentHandler } from './ingestion/ingest-document.handler';
import { EMBEDDER } from './embeddings/embedder.port';
import { embedderProvider } from './embeddings/embedder.provider';
import { ParseSandbox } from './parsing-sandbox/parse-sandbox';

/** Knowledge: documents, ingestion (its handler runs in the worker), chunks. */
@Module({
  imports: [TypeOrmModule.forFeature([KnowledgeDocument, DocumentChunkRow]), FilesModule],
  providers: [
    DocumentsService,
    DocumentEvents,
    IngestDocumentHandler,
    EmbedChunksHandler,
    embedderProvider,
    DocumentReconciler,
    ParseSandbox,
    provideTenantRepositories(KnowledgeDocument),
    provideTenantRepositories(DocumentChunkRow),
  ],
  exports: [DocumentsService, DocumentEvents, EMBEDDER],
})
export class RagModule {}
