import { isSurfaceTerm } from './analyze-text';
import type { DocumentTerms } from './document-terms';
import { informativeness } from './english-rarity';

/** Okapi BM25's usual constants (Robertson & Zaragoza; Lucene's defaults). */
export const BM25_K1 = 1.2;
export const BM25_B = 0.75;

/**
 * What a surface word (indexTerms' second field: the word as written, stop words kept) weighs
 * beside a content term: enough to break ties the way the question is worded, too little to
 * outvote a content word. Chosen on the evaluation sets (BENCHMARKS.md, retrieval-quality:
 * 0.2-0.4 is a plateau; 0.5 and above lose the dealership questions written in customers'
 * words to passages that share their "can I" and "my").
 */
export const SURFACE_WEIGHT = 0.3;

export interface LexicalMatch {
  id: string;
  score: number;
  /**
   * Share of the question's informative words this chunk holds, 0 to 1 (each term weighted by
   * its rarity in everyday English, see informativeness): 1 when it has every term, near 0
   * when it shares only everyday words, so a question about something else scores low even if
   * the documents happen to use one of its words.
   */
  coverage: number;
}

/**
 * Ranks the chunks of a dealership's live document generations by BM25 against the query's
 * index terms (indexTerms: content terms and surface words, summed as two fields): IDF and
 * average length come from those chunks only (the dealership's own statistics), any subset of
 * the terms may match, and each distinct term counts once however often the question repeats
 * it. A question without a content term (only stop words) finds nothing; coverage counts
 * content terms only.
 */
export function rankBm25(documents: Iterable<DocumentTerms>, queryTerms: readonly string[], topK: number): LexicalMatch[] {
  const docs = [...documents];
  const terms = [...new Set(queryTerms)];
  if (!terms.some((term) => !isSurfaceTerm(term)) || topK <= 0) return [];
  const offsets: number[] = [];
  let chunkCount = 0;
  let totalLength = 0;
  for (const doc of docs) {
    offsets.push(chunkCount);
    chunkCount += doc.chunkCount;
    totalLength += doc.totalLength;
  }
  if (chunkCount === 0) return [];
  const averageLength = totalLength / chunkCount || 1;

  const idf = terms.map((term) => {
    let df = 0;
    for (const doc of docs) df += doc.postingsOf(term)?.chunks.length ?? 0;
    if (!isSurfaceTerm(term)) return Math.log(1 + (chunkCount - df + 0.5) / (df + 0.5));
    // A surface word in more than half the chunks ("the", "is") scores 0, as in Robertson and
    // Spärck Jones' IDF floored at 0: its postings are as long as the dealership and say
    // nothing, and skipping them kept every evaluation set's ranking (BENCHMARKS.md).
    return 2 * df > chunkCount ? 0 : Math.log(1 + (chunkCount - df + 0.5) / (df + 0.5)) * SURFACE_WEIGHT;
  });
  const weights = terms.map((term) => (isSurfaceTerm(term) ? 0 : informativeness(term)));
  const totalWeight = weights.reduce((sum, w) => sum + w, 0) || 1;

  const scores = new Float64Array(chunkCount);
  const matchedWeight = new Float64Array(chunkCount);
  const touched: number[] = [];
  terms.forEach((term, t) => {
    const weight = idf[t];
    if (weight === 0) return;
    docs.forEach((doc, d) => {
      const postings = doc.postingsOf(term);
      if (!postings) return;
      const { chunks, counts } = postings;
      const base = offsets[d];
      for (let i = 0; i < chunks.length; i += 1) {
        const at = base + chunks[i];
        const tf = counts[i];
        const norm = BM25_K1 * (1 - BM25_B + (BM25_B * doc.lengths[chunks[i]]) / averageLength);
        if (scores[at] === 0) touched.push(at);
        scores[at] += (weight * tf * (BM25_K1 + 1)) / (tf + norm);
        matchedWeight[at] += weights[t];
      }
    });
  });

  const best = topIndices(touched, scores, topK);
  const idOf = (at: number): string => {
    let d = docs.length - 1;
    while (offsets[d] > at) d -= 1;
    return docs[d].ids[at - offsets[d]];
  };
  return best
    .map((at) => ({ id: idOf(at), score: scores[at], coverage: matchedWeight[at] / totalWeight }))
    .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
}

/** The k indices with the highest scores (any order among equals), without sorting all of them. */
function topIndices(candidates: number[], scores: Float64Array, k: number): number[] {
  if (candidates.length <= k) return candidates;
  const best: number[] = [];
  let threshold = -Infinity;
  for (const at of candidates) {
    const score = scores[at];
    if (best.length >= k && score < threshold) continue;
    let pos = best.length;
    while (pos > 0 && scores[best[pos - 1]] < score) pos -= 1;
    best.splice(pos, 0, at);
    if (best.length > k) best.pop();
    if (best.length >= k) threshold = scores[best[best.length - 1]];
  }
  return best;
}
