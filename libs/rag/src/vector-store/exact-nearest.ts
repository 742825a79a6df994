import { exactSearch, MetricKind } from 'usearch';
import { dotRow } from './document-vectors';

export interface NearestRow {
  row: number;
  score: number;
}

/**
 * Candidates usearch picks per requested match before they are scored again here: its float32
 * sums may order two nearly equal scores differently from the float64 reference, so a few more
 * are taken and the reference decides.
 */
const OVERSAMPLE = 2;

/**
 * The `k` rows of a packed matrix with the highest dot product with the query, exact (every
 * row is scored, no approximate index). usearch's exactSearch does the scan with SIMD kernels
 * (5-9x the JS loop at 1,024 dimensions, BENCHMARKS.md); its picks are then scored with dotRow,
 * so scores are the ones the JS scan gives. Best first; equal scores keep row order.
 */
export function exactNearest(matrix: Float32Array, dimensions: number, query: Float32Array, k: number): NearestRow[] {
  const rows = dimensions > 0 ? matrix.length / dimensions : 0;
  if (rows === 0 || k <= 0 || query.length !== dimensions) return [];
  // usearch reads a typed array from the start of its buffer, whatever its byte offset.
  const dataset = matrix.byteOffset === 0 ? matrix : matrix.slice();
  const probe = query.byteOffset === 0 ? query : query.slice();
  const { keys } = exactSearch(dataset, probe, dimensions, Math.min(rows, k * OVERSAMPLE), MetricKind.IP, 1);
  const picked = Array.from(keys, Number).sort((a, b) => a - b);
  return picked
    .map((row) => ({ row, score: dotRow(matrix, row, dimensions, query) }))
    .sort((a, b) => b.score - a.score || a.row - b.row)
    .slice(0, k);
}
