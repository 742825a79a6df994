import { Pinecone, type Index } from '@pinecone-database/pinecone';
import { providerBreaker } from '@showroom/core';
import { VectorMatch, VectorRecord, VectorStore } from './vector-store.port';

export interface PineconeVectorStoreOptions {
  apiKey: string;
  index: string;
  /** The index's data-plane URL; when absent the SDK resolves it from the name once. */
  indexHost?: string;
  /** Records per upsert request (Pinecone caps a request at 1000 records and 2 MB). */
  upsertBatch: number;
  timeoutMs: number;
  maxRetries: number;
}

/** Pinecone accepts at most 1000 ids per delete request. */
const DELETE_BATCH = 1_000;

/**
 * Pinecone through its official SDK. Each dealership gets its own namespace, so a query can
 * only ever see that dealership's vectors. Serverless indexes cannot delete by metadata
 * filter, so deletes go by id: the ids are the chunk ids Postgres keeps (vector_tombstones).
 * Calls have a timeout, the SDK's bounded retries with backoff, and a circuit breaker.
 */
export class PineconeVectorStore implements VectorStore {
  readonly name = 'pinecone';
  readonly keepsOwnCopy = true;
  private readonly client: Pinecone;
  private readonly guarded: <T>(call: () => Promise<T>) => Promise<T>;

  constructor(private readonly options: PineconeVectorStoreOptions) {
    this.client = new Pinecone({
      apiKey: options.apiKey,
      maxRetries: options.maxRetries,
      fetchApi: (input, init) => fetch(input, { ...init, signal: AbortSignal.timeout(options.timeoutMs) }),
    });
    const breaker = providerBreaker('Pinecone', (call: () => Promise<unknown>) => call());
    this.guarded = <T>(call: () => Promise<T>) => breaker(call) as Promise<T>;
  }

  async upsert(dealershipId: string, records: VectorRecord[]): Promise<void> {
    const index = this.namespace(dealershipId);
    for (const batch of batches(records, this.options.upsertBatch)) {
      await this.guarded(() =>
        index.upsert({ records: batch.map((record) => ({ id: record.id, values: record.values, metadata: { documentId: record.documentId } })) }),
      );
    }
  }

  async delete(dealershipId: string, ids: string[]): Promise<void> {
    const index = this.namespace(dealershipId);
    for (const batch of batches(ids, Math.min(DELETE_BATCH, this.options.upsertBatch * 10))) {
      await this.guarded(() => index.deleteMany({ ids: batch }));
    }
  }

  async query(dealershipId: string, vector: number[], topK: number): Promise<VectorMatch[]> {
    const index = this.namespace(dealershipId);
    const result = await this.guarded(() => index.query({ vector, topK, includeValues: false, includeMetadata: false }));
    return (result.matches ?? []).map((match) => ({ id: match.id, score: match.score ?? 0 }));
  }

  private namespace(dealershipId: string): Index {
    return this.client.index({ name: this.options.index, host: this.options.indexHost, namespace: dealershipId });
  }
}

function batches<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
