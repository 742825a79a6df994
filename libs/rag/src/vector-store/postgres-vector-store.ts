import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig } from '@showroom/core';
import { DataSource } from 'typeorm';
import { DocumentVectors } from './document-vectors';
import { TopK } from './top-k';
import { VectorMatch, VectorStore } from './vector-store.port';

/** Rows fetched per round trip while loading a dealership's vectors (bounds peak memory). */
const LOAD_BATCH_CHUNKS = 5_000;

interface LiveDocument {
  id: string;
  generation: number;
  chunkCount: number;
}

/**
 * The default vector store: vectors live in document_chunks.embedding (float32 bytes) and
 * search is exact (every live vector scored). Reading 100k vectors from Postgres per query
 * costs seconds, so each process keeps the vectors of recently searched dealerships in
 * memory, packed per document generation. Every query first asks Postgres which generations
 * are live (one small indexed read), loads only what it lacks and drops what is gone, so
 * the cache is never stale, on any pod, whoever changed the documents. Memory is bounded by
 * VECTOR_CACHE_MAX_MB: least recently searched dealerships are dropped first.
 */
@Injectable()
export class PostgresVectorStore implements VectorStore {
  readonly name = 'postgres';
  readonly keepsOwnCopy = false;
  private readonly logger = new Logger(PostgresVectorStore.name);
  /** dealership → document id → vectors; Map order is least recently searched first. */
  private readonly cache = new Map<string, Map<string, DocumentVectors>>();
  private readonly refreshing = new Map<string, Promise<Map<string, DocumentVectors>>>();
  private readonly maxBytes: number;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.maxBytes = config.knowledge.vectorCacheMaxMb * 1024 * 1024;
  }

  /** Vectors are written to the chunk rows by the embedding job; there is no other copy. */
  async upsert(): Promise<void> {}

  /** Deleting the chunk rows deleted the vectors; cached copies drop on the next query. */
  async delete(): Promise<void> {}

  async query(dealershipId: string, vector: number[], topK: number): Promise<VectorMatch[]> {
    const documents = await this.current(dealershipId);
    const query = Float32Array.from(vector);
    const best = new TopK(topK);
    const offer = best.offer.bind(best);
    for (const vectors of documents.values()) vectors.scan(query, offer);
    return best.results();
  }

  /**
   * Brings the dealership's cached vectors in line with what is live in Postgres. Concurrent
   * queries share one refresh, so a cold dealership is loaded once, not once per query.
   */
  private current(dealershipId: string): Promise<Map<string, DocumentVectors>> {
    const inFlight = this.refreshing.get(dealershipId);
    if (inFlight) return inFlight;
    const refresh = this.refresh(dealershipId).finally(() => this.refreshing.delete(dealershipId));
    this.refreshing.set(dealershipId, refresh);
    return refresh;
  }

  private async refresh(dealershipId: string): Promise<Map<string, DocumentVectors>> {
    const live = await this.liveDocuments(dealershipId);
    const cached = this.cache.get(dealershipId) ?? new Map<string, DocumentVectors>();
    const fresh = new Map<string, DocumentVectors>();
    const missing: LiveDocument[] = [];
    for (const doc of live) {
      const have = cached.get(doc.id);
      if (have && have.generation === doc.generation) fresh.set(doc.id, have);
      else missing.push(doc);
    }
    for (const [id, vectors] of await this.load(dealershipId, missing)) fresh.set(id, vectors);
    this.cache.delete(dealershipId);
    this.cache.set(dealershipId, fresh);
    this.evictBeyondBudget(dealershipId);
    return fresh;
  }

  private async liveDocuments(dealershipId: string): Promise<LiveDocument[]> {
    const rows = (await this.dataSource.query(
      `SELECT id, searchable_generation AS generation, chunk_count FROM documents
        WHERE dealership_id = $1 AND searchable_generation IS NOT NULL`,
      [dealershipId],
    )) as { id: string; generation: number; chunk_count: number }[];
    return rows.map((row) => ({ id: row.id, generation: row.generation, chunkCount: row.chunk_count }));
  }

  private async load(dealershipId: string, documents: LiveDocument[]): Promise<Map<string, DocumentVectors>> {
    const loaded = new Map<string, DocumentVectors>();
    for (const batch of batchesByChunkCount(documents, LOAD_BATCH_CHUNKS)) {
      const rows = (await this.dataSource.query(
        `SELECT c.document_id, c.id, c.embedding FROM document_chunks c
           JOIN unnest($2::uuid[], $3::int[]) AS live(document_id, generation)
             ON live.document_id = c.document_id AND live.generation = c.generation
          WHERE c.dealership_id = $1 AND c.embedding IS NOT NULL
          ORDER BY c.document_id, c.chunk_index`,
        [dealershipId, batch.map((doc) => doc.id), batch.map((doc) => doc.generation)],
      )) as { document_id: string; id: string; embedding: Buffer }[];
      const byDocument = new Map<string, typeof rows>();
      for (const row of rows) {
        const group = byDocument.get(row.document_id);
        if (group) group.push(row);
        else byDocument.set(row.document_id, [row]);
      }
      for (const doc of batch) loaded.set(doc.id, DocumentVectors.fromRows(doc.generation, byDocument.get(doc.id) ?? []));
    }
    return loaded;
  }

  private evictBeyondBudget(keep: string): void {
    let total = 0;
    for (const documents of this.cache.values()) for (const vectors of documents.values()) total += vectors.byteSize;
    for (const [dealershipId, documents] of this.cache) {
      if (total <= this.maxBytes) break;
      if (dealershipId === keep) continue; // the one being searched stays, even alone over budget
      for (const vectors of documents.values()) total -= vectors.byteSize;
      this.cache.delete(dealershipId);
      this.logger.debug(`dropped cached vectors of dealership ${dealershipId}`);
    }
  }
}

function* batchesByChunkCount(documents: LiveDocument[], maxChunks: number): Generator<LiveDocument[]> {
  let batch: LiveDocument[] = [];
  let chunks = 0;
  for (const doc of documents) {
    if (batch.length > 0 && chunks + doc.chunkCount > maxChunks) {
      yield batch;
      batch = [];
      chunks = 0;
    }
    batch.push(doc);
    chunks += doc.chunkCount;
  }
  if (batch.length > 0) yield batch;
}
