import { isSurfaceTerm } from './analyze-text';
import type { DocumentTerms } from './document-terms';
import { informativeness } from './english-rarity';
import type { QueryExpansion } from './query-expansions';

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
   * the documents happen to use one of its words. A synonym or neighbour of a word counts for
   * its expansion's coverageCredit of it.
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
 *
 * `expansions` (query-expansions.ts: WordNet synonyms, then word-vector neighbours) add terms
 * standing for the question's content terms at a reduced weight. A term and its expansions
 * score as one: a chunk earns the best of their contributions, not their sum, so a passage
 * stuffed with synonyms earns no more than one of them, and a passage holding only a synonym
 * earns the synonym's reduced weight. For coverage, a passage lacking the term earns the
 * coverageCredit of the first expansion it holds, in the order given.
 */
export function rankBm25(
  documents: Iterable<DocumentTerms>,
  queryTerms: readonly string[],
  topK: number,
  expansions: readonly QueryExpansion[] = [],
): LexicalMatch[] {
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

  const documentFrequency = (term: string): number => {
    let df = 0;
    for (const doc of docs) df += doc.postingsOf(term)?.chunks.length ?? 0;
    return df;
  };
  const idf = terms.map((term) => {
    const df = documentFrequency(term);
    if (!isSurfaceTerm(term)) return Math.log(1 + (chunkCount - df + 0.5) / (df + 0.5));
    // A surface word in more than half the chunks ("the", "is") scores 0, as in Robertson and
    // Spärck Jones' IDF floored at 0: its postings are as long as the dealership and say
    // nothing, and skipping them kept every evaluation set's ranking (BENCHMARKS.md).
    return 2 * df > chunkCount ? 0 : Math.log(1 + (chunkCount - df + 0.5) / (df + 0.5)) * SURFACE_WEIGHT;
  });
  const weights = terms.map((term) => (isSurfaceTerm(term) ? 0 : informativeness(term)));
  const totalWeight = weights.reduce((sum, w) => sum + w, 0) || 1;
  // Each content term's expansions that some chunk holds, with their weighted IDF.
  const expansionsOf = new Map<string, { term: string; weight: number; coverageCredit: number }[]>();
  for (const [term, list] of groupExpansions(terms, expansions)) {
    const found = list.flatMap((expansion) => {
      const df = documentFrequency(expansion.term);
      return df === 0 ? [] : [{ term: expansion.term, weight: Math.log(1 + (chunkCount - df + 0.5) / (df + 0.5)) * expansion.weight, coverageCredit: expansion.coverageCredit }];
    });
    if (found.length > 0) expansionsOf.set(term, found);
  }
  if (expansionsOf.size > 0) growScratch(chunkCount);

  const scores = new Float64Array(chunkCount);
  const matchedWeight = new Float64Array(chunkCount);
  const touched: number[] = [];
  terms.forEach((term, t) => {
    const weight = idf[t];
    if (weight === 0) return;
    // A term with expansions ("synonyms" below: WordNet's and word neighbours alike) is scored
    // as one with them: what the term gave a chunk is kept in `groupBest` (valid where
    // `groupStamp` holds this term's stamp, so nothing is cleared between terms), and a synonym
    // only raises a chunk's score to its own contribution.
    const synonyms = expansionsOf.get(term);
    const stamp = synonyms ? nextStamp() : 0;
    docs.forEach((doc, d) => {
      const postings = doc.postingsOf(term);
      if (!postings) return;
      const { chunks, counts } = postings;
      const base = offsets[d];
      for (let i = 0; i < chunks.length; i += 1) {
        const at = base + chunks[i];
        const score = termScore(weight, counts[i], doc.lengths[chunks[i]], averageLength);
        if (scores[at] === 0) touched.push(at);
        scores[at] += score;
        matchedWeight[at] += weights[t];
        if (stamp !== 0) {
          groupStamp[at] = stamp;
          groupBest[at] = score;
        }
      }
    });
    if (!synonyms) return;
    for (const synonym of synonyms) {
      docs.forEach((doc, d) => {
        const postings = doc.postingsOf(synonym.term);
        if (!postings) return;
        const { chunks, counts } = postings;
        const base = offsets[d];
        for (let i = 0; i < chunks.length; i += 1) {
          const at = base + chunks[i];
          const score = termScore(synonym.weight, counts[i], doc.lengths[chunks[i]], averageLength);
          if (groupStamp[at] !== stamp) {
            // The chunk lacks the term: the synonym stands in, for part of the term's coverage.
            groupStamp[at] = stamp;
            groupBest[at] = score;
            if (scores[at] === 0) touched.push(at);
            scores[at] += score;
            matchedWeight[at] += weights[t] * synonym.coverageCredit;
          } else if (score > groupBest[at]) {
            scores[at] += score - groupBest[at];
            groupBest[at] = score;
          }
        }
      });
    }
  });

  const ranked = topIndices(touched, scores, topK);
  const idOf = (at: number): string => {
    let d = docs.length - 1;
    while (offsets[d] > at) d -= 1;
    return docs[d].ids[at - offsets[d]];
  };
  return ranked
    .map((at) => ({ id: idOf(at), score: scores[at], coverage: matchedWeight[at] / totalWeight }))
    .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
}

/**
 * Scratch for scoring a term with its synonyms, kept between calls (this runs on one thread,
 * synchronously): per chunk, the best contribution so far of the term being scored, valid
 * where the chunk's stamp is that term's.
 */
let groupStamp = new Uint32Array(0);
let groupBest = new Float64Array(0);
let lastStamp = 0;

function growScratch(chunkCount: number): void {
  if (groupStamp.length >= chunkCount) return;
  groupStamp = new Uint32Array(chunkCount);
  groupBest = new Float64Array(chunkCount);
  lastStamp = 0;
}

function nextStamp(): number {
  if (lastStamp === 0xffff_ffff) {
    groupStamp.fill(0);
    lastStamp = 0;
  }
  lastStamp += 1;
  return lastStamp;
}

/** The expansions of each content term of the query, leaving out weightless ones and those that are query terms themselves. */
function groupExpansions(terms: readonly string[], expansions: readonly QueryExpansion[]): Map<string, QueryExpansion[]> {
  const grouped = new Map<string, QueryExpansion[]>();
  const asked = new Set(terms);
  for (const expansion of expansions) {
    // A weightless expansion adds nothing, and a chunk it alone hit would keep score 0 and be
    // listed as touched again by the next hit.
    if (expansion.weight <= 0 || asked.has(expansion.term) || !asked.has(expansion.of) || isSurfaceTerm(expansion.of)) continue;
    const list = grouped.get(expansion.of);
    if (list) list.push(expansion);
    else grouped.set(expansion.of, [expansion]);
  }
  return grouped;
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

/** BM25's contribution of a term of IDF `weight` found `tf` times in a chunk of `length` terms. */
function termScore(weight: number, tf: number, length: number, averageLength: number): number {
  return (weight * tf * (BM25_K1 + 1)) / (tf + BM25_K1 * (1 - BM25_B + (BM25_B * length) / averageLength));
}
