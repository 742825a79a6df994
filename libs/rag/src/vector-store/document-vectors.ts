/**
 * One searchable generation of one document: its chunk ids and their vectors packed in a
 * single Float32Array (row i = chunk i), so a scan is a tight loop over contiguous memory.
 * A (document, generation) never changes once searchable, so this never goes stale; a
 * reindex makes a new generation and a new DocumentVectors. The matrix is the whole of its own
 * SharedArrayBuffer: the search thread scans it without a copy, and usearch's exact search
 * reads a typed array from the start of its buffer (it ignores a view's byte offset).
 */
export class DocumentVectors {
  private constructor(
    readonly generation: number,
    readonly ids: string[],
    readonly matrix: Float32Array,
    readonly dimensions: number,
  ) {}

  static fromRows(generation: number, rows: { id: string; embedding: Buffer }[]): DocumentVectors {
    const dimensions = rows.length > 0 ? rows[0].embedding.length >>> 2 : 0;
    const usable = rows.filter((row) => row.embedding.length === dimensions * 4);
    const matrix = new Float32Array(new SharedArrayBuffer(usable.length * dimensions * 4));
    const bytes = new Uint8Array(matrix.buffer);
    // A byte copy: node-postgres' buffers need not be 4-byte aligned for a typed view.
    usable.forEach((row, i) => bytes.set(row.embedding, i * dimensions * 4));
    return new DocumentVectors(generation, usable.map((row) => row.id), matrix, dimensions);
  }

  get byteSize(): number {
    return this.matrix.byteLength + this.ids.length * 64;
  }

  /** Calls `visit` with each chunk's dot product with the query (cosine for unit vectors). */
  scan(query: Float32Array, visit: (id: string, score: number) => void): void {
    const { matrix, dimensions, ids } = this;
    if (query.length !== dimensions) return; // embedded by another model: not comparable
    for (let row = 0; row < ids.length; row += 1) visit(ids[row], dotRow(matrix, row, dimensions, query));
  }
}

/**
 * Row `row` of a packed matrix dotted with the query, in float64: the reference score both the
 * JS scan and the SIMD scan's re-scoring use, so either gives the same number for a chunk.
 */
export function dotRow(matrix: Float32Array, row: number, dimensions: number, query: Float32Array): number {
  const offset = row * dimensions;
  const unrolled = dimensions - (dimensions % 4);
  // Four independent sums: V8 keeps them in registers and the loop runs ~25% faster.
  let a = 0;
  let b = 0;
  let c = 0;
  let d = 0;
  let j = 0;
  for (; j < unrolled; j += 4) {
    a += matrix[offset + j] * query[j];
    b += matrix[offset + j + 1] * query[j + 1];
    c += matrix[offset + j + 2] * query[j + 2];
    d += matrix[offset + j + 3] * query[j + 3];
  }
  for (; j < dimensions; j += 1) a += matrix[offset + j] * query[j];
  return a + b + c + d;
}
