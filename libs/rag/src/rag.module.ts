import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { provideTenantRepositories } from '@showroom/auth';
import { FilesModule } from '@showroom/files';
import { DocumentChunkRow } from './documents/document-chunk.entity';
import { DocumentLifecycle } from './documents/document-lifecycle';
import { KnowledgeDocument } from './documents/document.entity';
import { DocumentsService } from './documents/documents.service';
import { DocumentEvents } from './documents/events/document-events';
import { DocumentReconciler } from './ingestion/document-reconciler';
import { EmbedChunksHandler } from './ingestion/embed-chunks.handler';
import { IngestDocumentHandler } from './ingestion/ingest-document.handler';
import { EMBEDDER } from './embeddings/embedder.port';
import { embedderProvider } from './embeddings/embedder.provider';
import { ParseSandbox } from './parsing-sandbox/parse-sandbox';
import { QueryEmbeddingCache } from './embeddings/query-embedding-cache';
import { SearchMetrics } from './search/search-metrics';
import { KnowledgeText } from './search/knowledge-text';
import { LexicalIndex } from './search/lexical/lexical-index';
import { SearchService } from './search/search.service';
import { SearchThread } from './search/thread/search-thread';
import { RecentDealerships } from './search/recent-dealerships';
import { VectorPurger } from './vector-store/vector-purger';
import { VECTOR_STORE } from './vector-store/vector-store.port';
import { vectorStoreProvider } from './vector-store/vector-store.provider';

/** Knowledge: documents, ingestion (its handlers run in the worker), chunks, vectors, search. */
@Module({
  imports: [TypeOrmModule.forFeature([KnowledgeDocument, DocumentChunkRow]), FilesModule],
  providers: [
    DocumentsService,
    DocumentEvents,
    DocumentLifecycle,
    IngestDocumentHandler,
    EmbedChunksHandler,
    embedderProvider,
    vectorStoreProvider,
    VectorPurger,
    SearchService,
    LexicalIndex,
    SearchThread,
    RecentDealerships,
    KnowledgeText,
    SearchMetrics,
    QueryEmbeddingCache,
    DocumentReconciler,
    ParseSandbox,
    provideTenantRepositories(KnowledgeDocument),
    provideTenantRepositories(DocumentChunkRow),
  ],
  exports: [DocumentsService, DocumentEvents, SearchService, KnowledgeText, ParseSandbox, EMBEDDER, VECTOR_STORE, LexicalIndex, SearchThread, RecentDealerships],
})
export class RagModule {}
