import { z } from 'zod';
import { defineConfigSection, envInt as int, envUrl as url } from '@showroom/core';

export interface KnowledgeSettings {
  /** Largest document upload (multipart) in bytes. */
  uploadMaxBytes: number;
  reconcileIntervalMs: number;
  stallAfterMs: number;
  parseTimeoutMs: number;
  parseMaxMemoryMb: number;
  embeddingProvider: 'local' | 'openai';
  embeddingModel: string;
  embeddingDimensions: number;
  embeddingBatchSize: number;
  vectorStore: 'postgres' | 'pinecone';
  vectorCacheMaxMb: number;
  /** Memory each api process may use for the lexical (BM25) index of recently searched dealerships. */
  lexicalIndexMaxMb: number;
  /** How many recently searched dealerships a starting api pod loads the search indexes of, in the background. */
  searchWarmDealerships: number;
}

export interface PineconeSettings {
  apiKey: string | undefined;
  index: string;
  indexHost: string | undefined;
  upsertBatch: number;
}

declare module '@showroom/core' {
  interface AppConfig {
    knowledge: KnowledgeSettings;
    pinecone: PineconeSettings;
  }
}

export const ragConfig = defineConfigSection({
  owner: 'rag',
  env: {
    UPLOAD_MAX_BYTES: int(1024, 1024 * 1024 * 1024).default(25 * 1024 * 1024),
    PARSE_TIMEOUT_MS: int(1_000, 3_600_000).default(120_000),
    PARSE_MAX_MEMORY_MB: int(32, 16_384).default(512),
    EMBEDDING_PROVIDER: z.enum(['local', 'openai']).default('local'),
    OPENAI_EMBEDDING_MODEL: z.string().min(1).default('text-embedding-3-small'),
    EMBEDDING_DIMENSIONS: int(16, 4096).default(1024),
    EMBEDDING_BATCH_SIZE: int(1, 2048).default(64),
    DOCUMENT_RECONCILE_INTERVAL_MS: int(1_000, 3_600_000).default(60_000),
    DOCUMENT_STALL_AFTER_MS: int(1_000, 24 * 3_600_000).default(300_000),
    VECTOR_STORE: z.enum(['postgres', 'pinecone']).default('postgres'),
    VECTOR_CACHE_MAX_MB: int(16, 65_536).default(256),
    LEXICAL_INDEX_MAX_MB: int(16, 65_536).default(256),
    SEARCH_WARM_DEALERSHIPS: int(0, 1_000).default(20),
    PINECONE_API_KEY: z.string().min(1).optional(),
    PINECONE_INDEX: z.string().min(1).default('showroom'),
    PINECONE_INDEX_HOST: url(['https:', 'http:']).optional(),
    PINECONE_UPSERT_BATCH: int(1, 1_000).default(100),
  },
  check(env, problem) {
    if (env.EMBEDDING_PROVIDER === 'openai' && !env.OPENAI_API_KEY) problem('OPENAI_API_KEY', 'required when EMBEDDING_PROVIDER=openai');
    if (env.VECTOR_STORE === 'pinecone' && !env.PINECONE_API_KEY) problem('PINECONE_API_KEY', 'required when VECTOR_STORE=pinecone');
  },
  read: (e) => ({
    knowledge: {
      uploadMaxBytes: e.UPLOAD_MAX_BYTES,
      reconcileIntervalMs: e.DOCUMENT_RECONCILE_INTERVAL_MS,
      stallAfterMs: e.DOCUMENT_STALL_AFTER_MS,
      parseTimeoutMs: e.PARSE_TIMEOUT_MS,
      parseMaxMemoryMb: e.PARSE_MAX_MEMORY_MB,
      embeddingProvider: e.EMBEDDING_PROVIDER,
      embeddingModel: e.OPENAI_EMBEDDING_MODEL,
      embeddingDimensions: e.EMBEDDING_DIMENSIONS,
      embeddingBatchSize: e.EMBEDDING_BATCH_SIZE,
      vectorStore: e.VECTOR_STORE,
      vectorCacheMaxMb: e.VECTOR_CACHE_MAX_MB,
      lexicalIndexMaxMb: e.LEXICAL_INDEX_MAX_MB,
      searchWarmDealerships: e.SEARCH_WARM_DEALERSHIPS,
    },
    pinecone: { apiKey: e.PINECONE_API_KEY, index: e.PINECONE_INDEX, indexHost: e.PINECONE_INDEX_HOST, upsertBatch: e.PINECONE_UPSERT_BATCH },
  }),
});
