import type { QueryExpansion } from './synonyms';
import { synonymExpansions } from './synonyms';
import { neighbourExpansions } from './word-neighbours';

/**
 * The terms BM25 adds to a question (query side only: the index is unchanged): WordNet's
 * synonyms of its content terms, then their nearest words by meaning. Synonyms come first, so a
 * passage holding both earns the synonym's coverage credit (bm25.ts); a neighbour that is also a
 * synonym of the same term is left to the synonym.
 */
export function queryExpansions(queryTerms: readonly string[]): QueryExpansion[] {
  const synonyms = synonymExpansions(queryTerms);
  const taken = new Set(synonyms.map(({ term, of }) => `${of} ${term}`));
  return [...synonyms, ...neighbourExpansions(queryTerms).filter(({ term, of }) => !taken.has(`${of} ${term}`))];
}
