import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';

/** A document's searchable generation, as Postgres says now. */
export interface LiveDocument {
  id: string;
  generation: number;
  chunkCount: number;
}

/** What is cached for one (document, generation): immutable, so it never goes stale. */
export interface GenerationEntry {
  readonly generation: number;
  readonly byteSize: number;
}

/** Rows fetched per round trip while loading a dealership's documents (bounds peak memory). */
const LOAD_BATCH_CHUNKS = 5_000;

/**
 * Per-process copies of what a search reads for each dealership (vectors, the lexical index),
 * packed per document generation. Every query first asks Postgres which generations are live
 * (one small indexed read), loads only what it lacks and drops what is gone, so a copy is never
 * stale on any pod, whoever uploaded, reindexed or deleted. Memory is bounded by `maxBytes`:
 * least recently searched dealerships are dropped first. Concurrent queries share one refresh,
 * so a cold dealership is loaded once, not once per query.
 */
export class GenerationCache<T extends GenerationEntry> {
  private readonly logger: Logger;
  /** dealership → document id → entry; Map order is least recently searched first. */
  private readonly cache = new Map<string, Map<string, T>>();
  private readonly refreshing = new Map<string, Promise<Map<string, T>>>();

  constructor(
    name: string,
    private readonly dataSource: DataSource,
    private readonly maxBytes: number,
    /** Loads the entries of one batch of documents (together at most ~5k chunks). */
    private readonly loadBatch: (dealershipId: string, documents: LiveDocument[]) => Promise<Map<string, T>>,
    /** Told of every entry the cache lets go of (replaced, deleted or evicted), to free what mirrors it. */
    private readonly onDrop: (entry: T) => void = () => {},
  ) {
    this.logger = new Logger(name);
  }

  /** The dealership's live documents' entries, in document id order. */
  current(dealershipId: string): Promise<Map<string, T>> {
    const inFlight = this.refreshing.get(dealershipId);
    if (inFlight) return inFlight;
    const refresh = this.refresh(dealershipId).finally(() => this.refreshing.delete(dealershipId));
    this.refreshing.set(dealershipId, refresh);
    return refresh;
  }

  private async refresh(dealershipId: string, retry = true): Promise<Map<string, T>> {
    const live = await this.liveDocuments(dealershipId);
    const cached = this.cache.get(dealershipId) ?? new Map<string, T>();
    const missing = live.filter((doc) => cached.get(doc.id)?.generation !== doc.generation);
    const loaded = new Map<string, T>();
    for (const batch of batchesByChunkCount(missing, LOAD_BATCH_CHUNKS)) {
      for (const [id, entry] of await this.loadBatch(dealershipId, batch)) loaded.set(id, entry);
    }
    // Another dealership's load evicted this one meanwhile (its entries were dropped): load
    // again rather than bring dropped entries back, once; a second time they are kept anyway.
    if (retry && cached.size > 0 && this.cache.get(dealershipId) !== cached) {
      for (const entry of loaded.values()) this.onDrop(entry);
      return this.refresh(dealershipId, false);
    }
    const fresh = new Map<string, T>();
    for (const doc of live) {
      const have = cached.get(doc.id);
      const entry = loaded.get(doc.id) ?? (have?.generation === doc.generation ? have : undefined);
      if (entry) fresh.set(doc.id, entry);
    }
    for (const [id, entry] of cached) if (fresh.get(id) !== entry) this.onDrop(entry);
    this.cache.delete(dealershipId);
    this.cache.set(dealershipId, fresh);
    this.evictBeyondBudget(dealershipId);
    return fresh;
  }

  private async liveDocuments(dealershipId: string): Promise<LiveDocument[]> {
    const rows = (await this.dataSource.query(
      `SELECT id, searchable_generation AS generation, chunk_count FROM documents
        WHERE dealership_id = $1 AND searchable_generation IS NOT NULL ORDER BY id`,
      [dealershipId],
    )) as { id: string; generation: number; chunk_count: number }[];
    return rows.map((row) => ({ id: row.id, generation: row.generation, chunkCount: row.chunk_count }));
  }

  private evictBeyondBudget(keep: string): void {
    let total = 0;
    for (const documents of this.cache.values()) for (const entry of documents.values()) total += entry.byteSize;
    for (const [dealershipId, documents] of this.cache) {
      if (total <= this.maxBytes) break;
      if (dealershipId === keep) continue; // the one being searched stays, even alone over budget
      for (const entry of documents.values()) {
        total -= entry.byteSize;
        this.onDrop(entry);
      }
      this.cache.delete(dealershipId);
      this.logger.debug(`dropped the cached copy of dealership ${dealershipId}`);
    }
  }
}

/** Groups rows by their document_id, keeping the order they came in. */
export function groupByDocument<R extends { document_id: string }>(rows: R[]): Map<string, R[]> {
  const byDocument = new Map<string, R[]>();
  for (const row of rows) {
    const group = byDocument.get(row.document_id);
    if (group) group.push(row);
    else byDocument.set(row.document_id, [row]);
  }
  return byDocument;
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
