import stem from 'wink-porter2-stemmer';
import { eng } from 'stopword';

/**
 * Words that occur in nearly every passage and question, so they say nothing about which
 * passage answers: the stopword package's English list, the words of the Snowball English list
 * (the one Postgres' english configuration uses) it lacks, such as "when", "does" and "why"
 * (but not "down": "put down", "down payment" are what a buyer asks about),
 * and modal verbs and contractions' tails ("what's" splits into "what" and "s").
 */
const SNOWBALL_EXTRA = 'myself ours ourselves yours yourself yourselves she hers herself its itself theirs themselves whom having does doing until against during above below off again further once when why few no nor not own so will just don';
const MODALS_AND_TAILS = 'shall s t ll re ve d m';
const STOP_WORDS = new Set([...eng, ...SNOWBALL_EXTRA.split(' '), ...MODALS_AND_TAILS.split(' ')]);

/** Stems of recently seen words: a corpus has a few thousand distinct words and millions of tokens. */
const stems = new Map<string, string>();
const MAX_CACHED_STEMS = 100_000;

function stemOf(word: string): string {
  let stemmed = stems.get(word);
  if (stemmed === undefined) {
    // Digits stay as written ("7", "2026", "60,000" → "60" "000"); the stemmer is for words.
    stemmed = /^\p{N}+$/u.test(word) ? word : stem(word);
    if (stems.size >= MAX_CACHED_STEMS) stems.clear();
    stems.set(word, stemmed);
  }
  return stemmed;
}

/**
 * The index terms of a text, in order: lower-cased words (letters and digits), stop words
 * dropped, each reduced to its Porter2 stem so "leases", "leasing" and "lease" meet. The one
 * analysis both the lexical index and the local responder use, for passages and questions alike.
 */
export function analyzeText(text: string): string[] {
  const terms: string[] = [];
  for (const word of wordsOf(text)) if (!STOP_WORDS.has(word)) terms.push(stemOf(word));
  return terms;
}

/** Marks a surface term: a word as written (lower-cased, unstemmed, stop words kept). */
const SURFACE_PREFIX = '=';

/**
 * What the lexical index stores and a query looks up: the content terms of analyzeText, and
 * every word as written, stop words included, as a second field ("=who", "=the", "=leasing").
 * Questions often echo the answering sentence's wording ("who", "first", "in what year"), which
 * stemming and stop-word removal throw away; scoring both fields, the surface one at a lower
 * weight (bm25.ts), ranked the answering chunk first more often than either alone on all three
 * evaluation sets (BENCHMARKS.md, retrieval-quality). Words cannot hold the prefix character,
 * so the fields never collide.
 */
export function indexTerms(text: string): string[] {
  const words = wordsOf(text);
  const terms: string[] = [];
  for (const word of words) if (!STOP_WORDS.has(word)) terms.push(stemOf(word));
  for (const word of words) terms.push(SURFACE_PREFIX + word);
  return terms;
}

/** Whether an index term is a surface word (indexTerms' second field) rather than a content term. */
export function isSurfaceTerm(term: string): boolean {
  return term.startsWith(SURFACE_PREFIX);
}

function wordsOf(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{M}\p{N}]+/gu) ?? [];
}
