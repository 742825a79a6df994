import { exactSearch, MetricKind } from 'usearch';
import { dotRow } from './document-vectors';

export interface NearestRow {
  row: number;
  score: number;
}

/** Candidates usearch picks per requested match, so near-ties at the cut are decided below. */
const OVERSAMPLE = 2;
/** Well above the float32 rounding of a 1,024-term dot product of unit vectors (~1e-6). */
const FLOAT32_SLACK = 1e-4;

/**
 * The `k` rows of a packed matrix with the highest dot product with the query, exact (every
 * row is scored, no approximate index), best first, equal scores in row order: what the JS scan
 * and TopK return, scores included. usearch's exactSearch does the scan with SIMD kernels
 * (BENCHMARKS.md: 2.5x the JS loop at 1,024 dimensions) and picks 2k candidates; dotRow, the
 * JS scan's arithmetic, scores them again. When rows usearch left out may tie with the k-th
 * score (its float32 sums cannot tell, and it breaks ties its own way; the local lexical-hash
 * embedder gives many equal scores), the rows are all scored in JS instead, so the answer is
 * the same whichever way.
 */
export function exactNearest(matrix: Float32Array, dimensions: number, query: Float32Array, k: number): NearestRow[] {
  const rows = dimensions > 0 ? matrix.length / dimensions : 0;
  if (rows === 0 || k <= 0 || query.length !== dimensions) return [];
  const wanted = Math.min(rows, k * OVERSAMPLE);
  // usearch reads a typed array from the start of its buffer, whatever its byte offset.
  const dataset = matrix.byteOffset === 0 ? matrix : matrix.slice();
  const probe = query.byteOffset === 0 ? query : query.slice();
  const { keys, distances } = exactSearch(dataset, probe, dimensions, wanted, MetricKind.IP, 1);
  const best = bestOf(Array.from(keys, Number), matrix, dimensions, query, k);
  const weakestPicked = 1 - distances[distances.length - 1]; // inner-product distance is 1 - dot
  const kthScore = best[best.length - 1].score;
  const leftOutMayTie = wanted < rows && weakestPicked >= kthScore - FLOAT32_SLACK;
  return leftOutMayTie ? bestOf(Array.from({ length: rows }, (_, row) => row), matrix, dimensions, query, k) : best;
}

function bestOf(candidates: number[], matrix: Float32Array, dimensions: number, query: Float32Array, k: number): NearestRow[] {
  return candidates
    .map((row) => ({ row, score: dotRow(matrix, row, dimensions, query) }))
    .sort((a, b) => b.score - a.score || a.row - b.row)
    .slice(0, k);
}
