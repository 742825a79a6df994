import type { FactoryProvider } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@showroom/core';
import { DataSource } from 'typeorm';
import { SearchThread } from '../search/thread/search-thread';
import { PineconeVectorStore } from './pinecone-vector-store';
import { PostgresVectorStore } from './postgres-vector-store';
import { VECTOR_STORE, type VectorStore } from './vector-store.port';

/** Picks the vector store from VECTOR_STORE (config validation ensures Pinecone's key is set). */
export const vectorStoreProvider: FactoryProvider<VectorStore> = {
  provide: VECTOR_STORE,
  inject: [APP_CONFIG, DataSource, SearchThread],
  useFactory: (config: AppConfig, dataSource: DataSource, thread: SearchThread): VectorStore => {
    if (config.knowledge.vectorStore === 'pinecone') {
      return new PineconeVectorStore({
        apiKey: config.pinecone.apiKey!,
        index: config.pinecone.index,
        indexHost: config.pinecone.indexHost,
        upsertBatch: config.pinecone.upsertBatch,
        timeoutMs: config.providers.timeoutMs,
        maxRetries: config.providers.maxRetries,
      });
    }
    return new PostgresVectorStore(dataSource, config, thread);
  },
};
