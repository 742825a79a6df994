/** A chunk's vector, keyed by the chunk id (deterministic, so re-upserting overwrites). */
export interface VectorRecord {
  id: string;
  documentId: string;
  values: number[];
}

export interface VectorMatch {
  id: string;
  /** Cosine similarity (vectors are unit length). */
  score: number;
}

/**
 * The search index for chunk vectors. Postgres stays the system of record: every vector is
 * also stored with its chunk row, so an external index can be rebuilt without paying to
 * embed again. Matches may include chunks that are no longer live (a generation being
 * rebuilt, a vector not yet purged); callers keep only ids that are live in Postgres.
 */
export interface VectorStore {
  readonly name: string;
  /**
   * True when the store holds its own copy of the vectors. Such a store must be told which
   * ids to delete (Pinecone serverless cannot delete by filter), so removed chunk ids are
   * written to vector_tombstones in the transaction that removes the rows, and purged later.
   */
  readonly keepsOwnCopy: boolean;
  upsert(dealershipId: string, records: VectorRecord[]): Promise<void>;
  delete(dealershipId: string, ids: string[]): Promise<void>;
  query(dealershipId: string, vector: number[], topK: number): Promise<VectorMatch[]>;
  /** Loads a dealership's vectors ahead of its first query, for a store that keeps them in the process. */
  warm?(dealershipId: string): Promise<void>;
}

export const VECTOR_STORE = Symbol('VECTOR_STORE');
