import { DocumentVectors } from './document-vectors';
import { TopK } from './top-k';

const bytes = (values: number[]) => Buffer.from(Float32Array.from(values).buffer);

describe('DocumentVectors and TopK', () => {
  it('scores every chunk by dot product, any dimension count, and keeps the k best in order', () => {
    const rows = [
      { id: 'a', embedding: bytes([1, 0, 0, 0, 0]) },
      { id: 'b', embedding: bytes([0.6, 0.8, 0, 0, 0]) },
      { id: 'c', embedding: bytes([0, 0, 0, 0, 1]) },
    ];
    const vectors = DocumentVectors.fromRows(3, rows);
    const best = new TopK(2);
    vectors.scan(Float32Array.from([0.8, 0.6, 0, 0, 0.1]), (id, score) => best.offer(id, score));
    expect(best.results().map((m) => m.id)).toEqual(['b', 'a']);
    expect(best.results()[0].score).toBeCloseTo(0.96, 5);
  });

  it('skips rows of another width and queries of another model', () => {
    const vectors = DocumentVectors.fromRows(0, [
      { id: 'a', embedding: bytes([1, 0]) },
      { id: 'odd', embedding: bytes([1, 0, 0]) },
    ]);
    expect(vectors.ids).toEqual(['a']);
    const seen: string[] = [];
    vectors.scan(Float32Array.from([1, 0, 0]), (id) => seen.push(id));
    expect(seen).toEqual([]);
  });

  it('copies unaligned buffers correctly', () => {
    const raw = Buffer.alloc(4 * 4 + 1);
    Buffer.from(Float32Array.from([0.5, 0.25, 0, 1]).buffer).copy(raw, 1);
    const vectors = DocumentVectors.fromRows(0, [{ id: 'x', embedding: raw.subarray(1) }]);
    let score = 0;
    vectors.scan(Float32Array.from([2, 4, 0, 1]), (_, s) => (score = s));
    expect(score).toBeCloseTo(3, 5);
  });
});
