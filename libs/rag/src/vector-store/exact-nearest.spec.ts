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

  it('asks for no more rows than there are and ignores a query of another width', () => {
    const vectors = DocumentVectors.fromRows(1, randomRows(3, 16, 1));
    expect(exactNearest(vectors.matrix, 16, vectors.matrix.slice(0, 16), 10).map((m) => m.row)).toHaveLength(3);
    expect(exactNearest(vectors.matrix, 16, new Float32Array(8), 10)).toEqual([]);
    expect(exactNearest(new Float32Array(0), 16, new Float32Array(16), 10)).toEqual([]);
  });
});
