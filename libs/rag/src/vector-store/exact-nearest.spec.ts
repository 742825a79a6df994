import { DocumentVectors } from './document-vectors';
import { exactNearest } from './exact-nearest';
import { TopK } from './top-k';

function randomRows(count: number, dimensions: number, seed: number): { id: string; embedding: Buffer }[] {
  let s = seed;
  const next = () => ((s = (Math.imul(s, 1_103_515_245) + 12_345) >>> 0) / 2 ** 32) - 0.5;
  return Array.from({ length: count }, (_, i) => {
    const v = Float32Array.from({ length: dimensions }, next);
    const norm = Math.hypot(...v);
    return { id: `c${i}`, embedding: Buffer.from(v.map((x) => x / norm).buffer) };
  });
}

describe('exactNearest (usearch SIMD scan)', () => {
  it('returns exactly what the JS scan returns: same ids, same order, same scores', () => {
    for (const [count, dimensions] of [[2_000, 1024], [500, 37], [3, 8]]) {
      const vectors = DocumentVectors.fromRows(1, randomRows(count, dimensions, count + dimensions));
      for (const probe of [5, 17, count - 1]) {
        const query = Float32Array.from(vectors.matrix.subarray(probe * dimensions, (probe + 1) * dimensions), (x, j) => x + (j % 3) * 0.01);
        const reference = new TopK(50);
        vectors.scan(query, (id, score) => reference.offer(id, score));
        const simd = exactNearest(vectors.matrix, dimensions, query, 50).map(({ row, score }) => ({ id: vectors.ids[row], score }));
        expect(simd).toEqual(reference.results());
      }
    }
  });

  it('breaks ties the way the JS scan does (earliest rows first), however many rows tie', () => {
    const dimensions = 16;
    const unit = Buffer.from(Float32Array.from({ length: dimensions }, (_, j) => (j === 0 ? 1 : 0)).buffer);
    const other = Buffer.from(Float32Array.from({ length: dimensions }, (_, j) => (j === 1 ? 1 : 0)).buffer);
    // 300 rows: every third an exact copy of the query's direction, the rest orthogonal.
    const rows = Array.from({ length: 300 }, (_, i) => ({ id: `t${i}`, embedding: i % 3 === 0 ? unit : other }));
    const vectors = DocumentVectors.fromRows(1, rows);
    const query = Float32Array.from({ length: dimensions }, (_, j) => (j === 0 ? 0.8 : j === 1 ? 0.6 : 0));
    for (const k of [5, 50, 150]) {
      const reference = new TopK(k);
      vectors.scan(query, (id, score) => reference.offer(id, score));
      const simd = exactNearest(vectors.matrix, dimensions, query, k).map(({ row, score }) => ({ id: vectors.ids[row], score }));
      expect(simd).toEqual(reference.results());
    }
  });

  it('agrees when scores differ only by rounding (float32 and float64 sums order them differently)', () => {
    const dimensions = 256;
    const base = randomRows(1, dimensions, 7)[0].embedding;
    const values = new Float32Array(base.buffer, base.byteOffset, dimensions);
    // Rotations of one vector against an all-equal query: the same dot product up to rounding.
    const rows = Array.from({ length: 400 }, (_, r) => ({
      id: `p${r}`,
      embedding: Buffer.from(Float32Array.from({ length: dimensions }, (_, j) => values[(j + r) % dimensions]).buffer),
    }));
    const vectors = DocumentVectors.fromRows(1, rows);
    const query = new Float32Array(dimensions).fill(1 / Math.sqrt(dimensions));
    const reference = new TopK(20);
    vectors.scan(query, (id, score) => reference.offer(id, score));
    const simd = exactNearest(vectors.matrix, dimensions, query, 20).map(({ row, score }) => ({ id: vectors.ids[row], score }));
    expect(simd).toEqual(reference.results());
  });

  it('asks for no more rows than there are and ignores a query of another width', () => {
    const vectors = DocumentVectors.fromRows(1, randomRows(3, 16, 1));
    expect(exactNearest(vectors.matrix, 16, vectors.matrix.slice(0, 16), 10).map((m) => m.row)).toHaveLength(3);
    expect(exactNearest(vectors.matrix, 16, new Float32Array(8), 10)).toEqual([]);
    expect(exactNearest(new Float32Array(0), 16, new Float32Array(16), 10)).toEqual([]);
  });
});
