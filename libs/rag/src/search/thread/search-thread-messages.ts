import type { LexicalMatch } from '../lexical/bm25';

/**
 * A cached entry as a request names it. The first request that needs an entry sends its
 * shared memory with a fresh handle and the thread keeps it under that handle; later requests
 * send the handle alone. Handle 0 means "use for this request only" (an entry dropped from the
 * cache while a request for it was being made).
 */
export interface TermsRef {
  handle: number;
  generation: number;
  bytes?: Uint8Array;
}

export interface VectorsRef {
  handle: number;
  dimensions: number;
  matrix?: Float32Array;
}

export type SearchThreadRequest =
  | { id: number; kind: 'bm25'; documents: TermsRef[]; terms: string[]; topK: number }
  | { id: number; kind: 'nearest'; documents: VectorsRef[]; query: Float32Array; topK: number }
  /** Answered once the thread has loaded what searches need: a start-up can wait for it. */
  | { id: number; kind: 'ping' }
  | { kind: 'forget'; handles: number[] };

/** A nearest row: which document of the request, which row of it, its score. */
export interface NearestMatch {
  document: number;
  row: number;
  score: number;
}

export type SearchThreadReply =
  | { id: number; matches: LexicalMatch[] }
  | { id: number; nearest: NearestMatch[] }
  | { id: number; error: string };
