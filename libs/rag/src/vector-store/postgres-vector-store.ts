import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig } from '@showroom/core';
import { DataSource } from 'typeorm';
import { GenerationCache, groupByDocument, type LiveDocument } from '../search/generation-cache';
import { SearchThread } from '../search/thread/search-thread';
import { DocumentVectors } from './document-vectors';
import { VectorMatch, VectorStore } from './vector-store.port';

/**
 * The default vector store: vectors live in document_chunks.embedding (float32 bytes) and
 * search is exact (every live vector scored). Reading 100k vectors from Postgres per query
 * costs seconds, so each process keeps the vectors of recently searched dealerships in
 * memory, packed per document generation (GenerationCache: checked against Postgres on every
 * query, so never stale on any pod). Memory is bounded by VECTOR_CACHE_MAX_MB. The scan runs
 * on the search thread with usearch's SIMD kernels (exactNearest), off the event loop.
 */
@Injectable()
export class PostgresVectorStore implements VectorStore {
  readonly name = 'postgres';
  readonly keepsOwnCopy = false;
  private readonly vectors: GenerationCache<DocumentVectors>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly thread: SearchThread,
  ) {
    this.vectors = new GenerationCache(
      PostgresVectorStore.name,
      dataSource,
      config.knowledge.vectorCacheMaxMb * 1024 * 1024,
      (dealershipId, batch) => this.load(dealershipId, batch),
      (entry) => thread.forget(entry),
    );
  }

  /** Vectors are written to the chunk rows by the embedding job; there is no other copy. */
  async upsert(): Promise<void> {}

  /** Deleting the chunk rows deleted the vectors; cached copies drop on the next query. */
  async delete(): Promise<void> {}

  async query(dealershipId: string, vector: number[], topK: number): Promise<VectorMatch[]> {
    const documents = await this.vectors.current(dealershipId);
    return this.thread.nearest([...documents.values()], Float32Array.from(vector), topK);
  }

  /** Loads (and so warms) the dealership's vectors without searching them. */
  async warm(dealershipId: string): Promise<void> {
    await this.vectors.current(dealershipId);
  }

  private async load(dealershipId: string, batch: LiveDocument[]): Promise<Map<string, DocumentVectors>> {
    const rows = (await this.dataSource.query(
      `SELECT c.document_id, c.id, c.embedding FROM document_chunks c
         JOIN unnest($2::uuid[], $3::int[]) AS live(document_id, generation)
           ON live.document_id = c.document_id AND live.generation = c.generation
        WHERE c.dealership_id = $1 AND c.embedding IS NOT NULL
        ORDER BY c.document_id, c.chunk_index`,
      [dealershipId, batch.map((doc) => doc.id), batch.map((doc) => doc.generation)],
    )) as { document_id: string; id: string; embedding: Buffer }[];
    const byDocument = groupByDocument(rows);
    return new Map(batch.map((doc) => [doc.id, DocumentVectors.fromRows(doc.generation, byDocument.get(doc.id) ?? [])]));
  }
}
