import type { LlmSource } from './llm.port';

/** What the local responder says when it has nothing to answer from. */
export const NO_SOURCES_ANSWER = "I don't know: I couldn't find anything about that in the dealership's documents.";

/** Sentences in an answer: enough to answer, few enough to read. */
const MAX_SENTENCES = 3;

// Words that match everywhere and so tell nothing about which sentence answers.
const STOPWORDS = new Set(
  (
    'a an and are as at be but by can could did do does for from had has have how i if in is it its ' +
    'me my of on or our so than that the their them then there these they this to was we were what ' +
    'when where which who why will with would you your about any much many there'
  ).split(' '),
);

interface Sentence {
  source: number;
  position: number;
  text: string;
  terms: Set<string>;
}

/**
 * Picks the sentences of the sources that share the most (and the rarest) words with the
 * question, each followed by its source's citation marker, best first. Without any overlap, the
 * first sentences of the best-ranked source stand in (retrieval already judged it relevant).
 */
export function composeExtractiveAnswer(question: string, sources: readonly LlmSource[]): string {
  if (sources.length === 0) return NO_SOURCES_ANSWER;
  const sentences = sources.flatMap((source) =>
    splitSentences(source.text).map((text, position) => ({ source: source.number, position, text, terms: new Set(terms(text)) })),
  );
  if (sentences.length === 0) return NO_SOURCES_ANSWER;

  const wanted = new Set(terms(question));
  // Rare words weigh more: a sentence sharing "powertrain" beats one sharing "car".
  const weight = (term: string) => Math.log(1 + sentences.length / sentences.filter((s) => s.terms.has(term)).length);
  const scored = sentences
    .map((sentence) => ({ sentence, score: [...wanted].filter((t) => sentence.terms.has(t)).reduce((sum, t) => sum + weight(t), 0) }))
    .filter(({ score }) => score > 0)
    .sort((a, b) => b.score - a.score || a.sentence.source - b.sentence.source || a.sentence.position - b.sentence.position);

  const chosen: Sentence[] = scored.length > 0 ? scored.map(({ sentence }) => sentence) : sentences.filter((s) => s.source === sources[0].number);
  const seen = new Set<string>();
  const unique = chosen.filter((s) => !seen.has(s.text) && seen.add(s.text)).slice(0, MAX_SENTENCES);
  return unique.map((s) => `${s.text} [${s.source}]`).join(' ');
}

/**
 * Sentences by Unicode's rules (Intl.Segmenter), with PDF line breaks folded into spaces. A
 * table row (CSV and XLSX rows are rendered one per line as "Column: value | …") stands alone:
 * it has no sentence punctuation, and folding would make a whole price list one "sentence".
 */
function splitSentences(text: string): string[] {
  const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });
  const prose = (lines: string[]) =>
    [...segmenter.segment(lines.join(' ').replace(/\s+/g, ' ').trim())].map((s) => s.segment.trim());
  const out: string[] = [];
  let paragraph: string[] = [];
  for (const line of text.split('\n')) {
    if (!line.includes(' | ')) {
      paragraph.push(line);
      continue;
    }
    out.push(...prose(paragraph), line.replace(/\s+/g, ' ').trim());
    paragraph = [];
  }
  out.push(...prose(paragraph));
  return out.filter((s) => /[\p{L}\p{N}]/u.test(s));
}

/** Lower-case content words, crudely folded to a singular so "warranties" meets "warranty". */
function terms(text: string): string[] {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return words.filter((word) => !STOPWORDS.has(word)).map(singular);
}

function singular(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}
