import { analyzeText } from './analyze-text';

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
    const building = new Map<string, { chunks: number[]; counts: number[] }>();
    let totalLength = 0;
    rows.forEach((row, chunk) => {
      const terms = analyzeText(row.text);
      lengths[chunk] = terms.length;
      totalLength += terms.length;
      const counts = new Map<string, number>();
      for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
      for (const [term, count] of counts) {
        const list = building.get(term);
        if (list) {
          list.chunks.push(chunk);
          list.counts.push(count);
        } else building.set(term, { chunks: [chunk], counts: [count] });
      }
    });
    const postings = new Map<string, Postings>();
    // Typed arrays: ~6 bytes per (term, chunk) pair instead of a boxed number pair.
    let byteSize = rows.length * (64 + 4);
    for (const [term, list] of building) {
      postings.set(term, { chunks: Uint32Array.from(list.chunks), counts: Uint16Array.from(list.counts, (n) => Math.min(n, 65_535)) });
      byteSize += 64 + term.length * 2 + list.chunks.length * 6;
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
