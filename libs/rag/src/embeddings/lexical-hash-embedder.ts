import type { Embedder } from './embedder.port';

/**
 * The embedded default: feature hashing of words and word pairs into a fixed-size vector.
 * It is LEXICAL, not semantic: "warranty" matches "warranty", not "guarantee". It needs no
 * key, no model download and no network, is deterministic, and is fast; a real embedding
 * model (OpenAI) replaces it by configuration.
 */
export class LexicalHashEmbedder implements Embedder {
  readonly model = 'local-lexical-hash-v1';
  /**
   * Hash collisions give unrelated texts small similarities (at 1024 dimensions, one shared
   * feature between a short query and a short chunk scores about 0.05 to 0.15); a real match
   * of several words scores well above this floor. Full-text search still catches single-word
   * matches below it.
   */
  readonly relevanceFloor = 0.1;
  readonly wordsOnly = true;

  constructor(readonly dimensions: number) {}

  async embed(texts: string[]): Promise<number[][]> {
    return texts.map((text) => this.vector(text));
  }

  private vector(text: string): number[] {
    const values = new Float64Array(this.dimensions);
    const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
    const features = [...words, ...words.slice(1).map((word, i) => `${words[i]} ${word}`)];
    for (const feature of features) {
      const hash = fnv1a(feature);
      // The sign bit spreads collisions around zero instead of piling them up.
      values[hash % this.dimensions] += hash & 0x80000000 ? -1 : 1;
    }
    const norm = Math.hypot(...values) || 1;
    return Array.from(values, (v) => v / norm);
  }
}

/** 32-bit FNV-1a: tiny, fast and well spread for short strings. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
