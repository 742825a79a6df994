import { synonymExpansions } from './synonyms';
import { neighbourExpansions } from './word-neighbours';

/**
 * One extra query term standing for the question's content term `of`: scored at `weight`, and
 * earning `coverageCredit` of the term's share of coverage in a passage that lacks the term.
 */
export interface QueryExpansion {
  term: string;
  of: string;
  weight: number;
  coverageCredit: number;
}

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
