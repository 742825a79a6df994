// A bracket holding source numbers: [1], [2, 3], [4; 5], [1-3]. Adjacent brackets ([1][2]) are
// separate matches. Markdown links ("[1](http://…)") are not citations.
const MARKER = /\[\s*(\d+(?:\s*(?:[,;]|[-–])\s*\d+)*)\s*\](?!\()/g;

/** Widest range expanded from "[a-b]", so "[1-999999]" cannot make a huge list. */
const MAX_RANGE = 50;

/**
 * The source numbers an answer cites, in order of first use, without duplicates, keeping only
 * numbers of sources that exist (1..sourceCount): a model citing [7] of 5 sources cited nothing.
 */
export function citedSourceNumbers(answerText: string, sourceCount: number): number[] {
  const cited = new Set<number>();
  for (const [, inside] of answerText.matchAll(MARKER)) {
    for (const part of inside.split(/\s*[,;]\s*/)) {
      const [from, to = from] = part.split(/\s*[-–]\s*/).map(Number);
      for (let n = from; n <= Math.min(to, from + MAX_RANGE); n += 1) if (n >= 1 && n <= sourceCount) cited.add(n);
    }
  }
  return [...cited];
}
