import { indexTerms } from './analyze-text';

/** One term's occurrences in one document: which chunks (row numbers) and how often in each. */
export interface Postings {
  chunks: Uint32Array;
  counts: Uint16Array;
}

/** Bumped when the byte layout below changes; bytes of another layout are rebuilt, not read. */
const LAYOUT = 0x5054_0001;
const HEADER_WORDS = 6;

/**
 * The inverted index of one searchable generation of one document: chunk ids, each chunk's
 * length in terms, and per term the chunks holding it. A (document, generation) never changes
 * once searchable, so this never goes stale; a reindex makes a new generation and a new index.
 * Collection statistics (chunk count, average length, document frequency) are summed over the
 * dealership's live generations at query time, so IDF is always the dealership's own.
 *
 * Everything lives in one flat byte layout, so the same bytes are persisted (document_postings,
 * read back instead of analysing the text again), shared with the search thread without a copy
 * (a SharedArrayBuffer), and opened in a few milliseconds: postings are slices of two typed
 * arrays, one entry per (term, chunk) pair, however common the term. The layout, in 32-bit
 * little-endian words unless said otherwise:
 *   header: LAYOUT, chunkCount, termCount, postingCount, idsJsonBytes, termsJsonBytes
 *   lengths[chunkCount], termStarts[termCount + 1], chunks[postingCount],
 *   counts[postingCount] (16-bit, padded to 4 bytes), ids as JSON, terms as JSON (UTF-8).
 * Terms and ids are JSON so any string the analyzer emits (and any id) round-trips as it was.
 */
export class DocumentTerms {
  readonly lengths: Uint32Array;
  readonly totalLength: number;
  private readonly termStarts: Uint32Array;
  private readonly chunks: Uint32Array;
  private readonly counts: Uint16Array;
  private readonly idsAt: number;
  private readonly idsBytes: number;
  private readonly termsBytes: number;
  /** Parsed on first use: a pod's main thread only holds the bytes; the search thread reads them. */
  private termIndex?: Map<string, number>;
  private idList?: string[];

  private constructor(
    readonly generation: number,
    /** The whole layout; over a SharedArrayBuffer when built or loaded here. */
    readonly bytes: Uint8Array,
  ) {
    if (bytes.byteOffset % 4 !== 0 || bytes.byteLength < HEADER_WORDS * 4) throw new Error('not a postings layout');
    const header = new Uint32Array(bytes.buffer, bytes.byteOffset, HEADER_WORDS);
    if (header[0] !== LAYOUT) throw new Error('not a postings layout this version reads');
    const [, chunkCount, termCount, postingCount, idsBytes, termsBytes] = header;
    let at = bytes.byteOffset + HEADER_WORDS * 4;
    const words = (n: number): Uint32Array => {
      const view = new Uint32Array(bytes.buffer, at, n);
      at += n * 4;
      return view;
    };
    this.lengths = words(chunkCount);
    this.termStarts = words(termCount + 1);
    this.chunks = words(postingCount);
    this.counts = new Uint16Array(bytes.buffer, at, postingCount);
    at += align4(postingCount * 2);
    this.idsAt = at - bytes.byteOffset;
    this.idsBytes = idsBytes;
    this.termsBytes = termsBytes;
    if (this.idsAt + idsBytes + termsBytes !== bytes.byteLength) throw new Error('truncated postings layout');
    let total = 0;
    for (const length of this.lengths) total += length;
    this.totalLength = total;
  }

  /** Analyses each chunk's text (the slow way: about what analysing the text costs). */
  static fromRows(generation: number, rows: { id: string; text: string }[]): DocumentTerms {
    const lengths = new Uint32Array(rows.length);
    // One id per distinct term and growing arrays per id: no per-chunk map.
    const termIds = new Map<string, number>();
    const chunksOf: number[][] = [];
    const countsOf: number[][] = [];
    const lastChunkOf: number[] = [];
    rows.forEach((row, chunk) => {
      const terms = indexTerms(row.text);
      lengths[chunk] = terms.length;
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
    return DocumentTerms.open(generation, encode(rows.map((row) => row.id), lengths, [...termIds.keys()], chunksOf, countsOf));
  }

  /** Reads a layout (persisted, or shared by another thread); throws if it is not one this code reads. */
  static open(generation: number, bytes: Uint8Array): DocumentTerms {
    return new DocumentTerms(generation, bytes);
  }

  /** Copies bytes read from Postgres (node-postgres' buffers need not be aligned) into shared memory, then opens them. */
  static fromStored(generation: number, stored: Uint8Array): DocumentTerms {
    const bytes = new Uint8Array(new SharedArrayBuffer(stored.byteLength));
    bytes.set(stored);
    return DocumentTerms.open(generation, bytes);
  }

  get chunkCount(): number {
    return this.lengths.length;
  }

  /** The bytes, plus what the parsed term index and ids take where they have been parsed. */
  get byteSize(): number {
    return this.bytes.byteLength + this.chunkCount * 64 + this.termsBytes * 4;
  }

  get ids(): string[] {
    this.idList ??= JSON.parse(this.text(this.idsAt, this.idsBytes)) as string[];
    return this.idList;
  }

  postingsOf(term: string): Postings | undefined {
    this.termIndex ??= new Map((JSON.parse(this.text(this.idsAt + this.idsBytes, this.termsBytes)) as string[]).map((t, i) => [t, i]));
    const t = this.termIndex.get(term);
    if (t === undefined) return undefined;
    const from = this.termStarts[t];
    const to = this.termStarts[t + 1];
    return { chunks: this.chunks.subarray(from, to), counts: this.counts.subarray(from, to) };
  }

  private text(offset: number, length: number): string {
    // TextDecoder refuses views of shared memory, Buffer does not.
    return Buffer.from(this.bytes.buffer, this.bytes.byteOffset + offset, length).toString('utf8');
  }
}

function align4(n: number): number {
  return (n + 3) & ~3;
}

function encode(ids: string[], lengths: Uint32Array, terms: string[], chunksOf: number[][], countsOf: number[][]): Uint8Array {
  const idsJson = Buffer.from(JSON.stringify(ids));
  const termsJson = Buffer.from(JSON.stringify(terms));
  const postingCount = chunksOf.reduce((sum, list) => sum + list.length, 0);
  const size =
    (HEADER_WORDS + lengths.length + terms.length + 1 + postingCount) * 4 + align4(postingCount * 2) + idsJson.length + termsJson.length;
  const bytes = new Uint8Array(new SharedArrayBuffer(size));
  const words = new Uint32Array(bytes.buffer, 0, size >>> 2);
  words.set([LAYOUT, lengths.length, terms.length, postingCount, idsJson.length, termsJson.length]);
  let at = HEADER_WORDS;
  words.set(lengths, at);
  at += lengths.length;
  const startsAt = at;
  at += terms.length + 1;
  const counts = new Uint16Array(bytes.buffer, (at + postingCount) * 4, postingCount);
  let posting = 0;
  chunksOf.forEach((chunks, t) => {
    words[startsAt + t] = posting;
    words.set(chunks, at + posting);
    // A count past 65,535 in one chunk is capped: it changes no ranking a chunk that long could have.
    countsOf[t].forEach((n, i) => (counts[posting + i] = Math.min(n, 65_535)));
    posting += chunks.length;
  });
  words[startsAt + terms.length] = posting;
  const textAt = (at + postingCount) * 4 + align4(postingCount * 2);
  bytes.set(idsJson, textAt);
  bytes.set(termsJson, textAt + idsJson.length);
  return bytes;
}
