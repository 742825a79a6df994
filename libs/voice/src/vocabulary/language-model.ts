/** Words as the recogniser's dictionary spells them: lower case letters and apostrophes. */
export function spokenWords(text: string): string[] {
  return text.toLowerCase().match(/[a-z]+(?:'[a-z]+)?/g) ?? [];
}

/** Sentences of words, split where a speaker would pause. */
export function spokenSentences(text: string): string[][] {
  return text
    .split(/[.!?;:\n|,()[\]"]+/)
    .map(spokenWords)
    .filter((words) => words.length > 0);
}

const DISCOUNT = 0.5;
const log10 = (p: number) => Math.log10(Math.max(p, 1e-99)).toFixed(4);

/**
 * A bigram language model in ARPA text form (pocketsphinx reads it with `-lm`), estimated from
 * `sentences` with absolute discounting and backoff to add-one unigrams, so any sequence of
 * the vocabulary stays possible while sequences the dealership's documents use are preferred.
 */
export function buildArpa(sentences: string[][]): string {
  const unigrams = new Map<string, number>();
  const bigrams = new Map<string, Map<string, number>>();
  const add = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  for (const words of sentences) {
    const tokens = ['<s>', ...words, '</s>'];
    tokens.forEach((token) => add(unigrams, token));
    for (let i = 0; i + 1 < tokens.length; i += 1) {
      let next = bigrams.get(tokens[i]);
      if (!next) bigrams.set(tokens[i], (next = new Map()));
      add(next, tokens[i + 1]);
    }
  }
  const vocabulary = [...unigrams.keys()];
  // <s> is never predicted, so the unigram distribution is over the other tokens only.
  const predicted = vocabulary.filter((w) => w !== '<s>');
  const total = predicted.reduce((sum, w) => sum + unigrams.get(w)!, 0);
  const unigramP = new Map(predicted.map((w) => [w, (unigrams.get(w)! + 1) / (total + predicted.length)]));

  const bigramLines: string[] = [];
  const backoff = new Map<string, number>();
  for (const [first, next] of bigrams) {
    const count = [...next.values()].reduce((a, b) => a + b, 0);
    let seenMass = 0;
    let seenUnigramMass = 0;
    for (const [second, c] of next) {
      const p = (c - DISCOUNT) / count;
      seenMass += p;
      seenUnigramMass += unigramP.get(second)!;
      bigramLines.push(`${log10(p)} ${first} ${second}`);
    }
    backoff.set(first, (1 - seenMass) / Math.max(1e-9, 1 - seenUnigramMass));
  }
  const unigramLines = vocabulary.map((w) => {
    // <s> is never predicted; ARPA gives it the conventional -99.
    const p = w === '<s>' ? '-99' : log10(unigramP.get(w)!);
    const alpha = backoff.get(w);
    return alpha === undefined ? `${p} ${w}` : `${p} ${w} ${log10(alpha)}`;
  });
  return [
    '\\data\\',
    `ngram 1=${unigramLines.length}`,
    `ngram 2=${bigramLines.length}`,
    '',
    '\\1-grams:',
    ...unigramLines,
    '',
    '\\2-grams:',
    ...bigramLines,
    '',
    '\\end\\',
    '',
  ].join('\n');
}
