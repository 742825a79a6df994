import { indexTerms } from './analyze-text';

/** One term's occurrences in one document: which chunks (row numbers) and how often in each. */
export interface Postings {
  chunks: Uint32Array;
  counts: Uint16Array;
}

/**
 * The inverted index of one searchable generation of one document: chunk ids, each chunk's
 * length in terms, and per term the chunks holding it. A (document, generation) never changes
 * once searchable, so this never goes stale; a reindex makes a new generation and a new index.
 * Collection statistics (chunk count, average length, document frequency) are summed over the
 * dealership's live generations at query time, so IDF is always the dealership's own.
 */
export class DocumentTerms {
  private constructor(
    readonly generation: number,
    readonly ids: string[],
    readonly lengths: Uint32Array,
    readonly totalLength: number,
    private readonly postings: Map<string, Postings>,
    readonly byteSize: number,
  ) {}

  static fromRows(generation: number, rows: { id: string; text: string }[]): DocumentTerms {
    const lengths = new Uint32Array(rows.length);
    // One id per distinct term and growing arrays per id: no per-chunk map, so building 100k
    // chunks costs about what analysing their text does.
    const termIds = new Map<string, number>();
    const chunksOf: number[][] = [];
    const countsOf: number[][] = [];
    const lastChunkOf: number[] = [];
    let totalLength = 0;
    rows.forEach((row, chunk) => {
      const terms = indexTerms(row.text);
      lengths[chunk] = terms.length;
      totalLength += terms.length;
      for (const term of terms) {
        let id = termIds.get(term);
        if (id === undefined) {
          id = chunksOf.length;
          termIds.set(term, id);
          chunksOf.push([]);
          countsOf.push([]);
          lastChunkOf.push(-1);
        }
        const counts = countsOf[id];
        if (lastChunkOf[id] === chunk) counts[counts.length - 1] += 1;
        else {
          lastChunkOf[id] = chunk;
          chunksOf[id].push(chunk);
          counts.push(1);
        }
      }
    });
    const postings = new Map<string, Postings>();
    // Typed arrays: ~6 bytes per (term, chunk) pair instead of a boxed number pair.
    let byteSize = rows.length * (64 + 4);
    for (const [term, id] of termIds) {
      postings.set(term, { chunks: Uint32Array.from(chunksOf[id]), counts: Uint16Array.from(countsOf[id], (n) => Math.min(n, 65_535)) });
      byteSize += 64 + term.length * 2 + chunksOf[id].length * 6;
    }
    return new DocumentTerms(generation, rows.map((row) => row.id), lengths, totalLength, postings, byteSize);
  }

  get chunkCount(): number {
    return this.ids.length;
  }

  postingsOf(term: string): Postings | undefined {
    return this.postings.get(term);
  }
}
