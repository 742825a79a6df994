/** Turns texts into vectors. One adapter per provider, chosen by EMBEDDING_PROVIDER. */
export interface Embedder {
  /** Recorded with the vectors so a model change can be detected and re-embedded. */
  readonly model: string;
  readonly dimensions: number;
  /** Cosine similarity below which a vector hit is noise for this model, not a match. */
  readonly relevanceFloor: number;
  /**
   * True when the vectors encode only the words (the local lexical-hash embedder): they see
   * nothing the BM25 index does not, so hybrid search leaves them out of fusion (measured in
   * BENCHMARKS.md, retrieval-quality). Unset for semantic embedders, which fusion keeps.
   */
  readonly wordsOnly?: boolean;
  /** One unit-length vector per text, in order. */
  embed(texts: string[]): Promise<number[][]>;
}

export const EMBEDDER = Symbol('EMBEDDER');
