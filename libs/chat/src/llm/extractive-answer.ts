import { SYNONYM_WEIGHT, analyzeText, questionTermFamilies } from '@showroom/rag';
import type { LlmSource } from './llm.port';

/** What the local responder says when it has nothing to answer from. */
export const NO_SOURCES_ANSWER = "I don't know: I couldn't find anything about that in the dealership's documents.";

/** Sentences in an answer: enough to answer, few enough to read. */
const MAX_SENTENCES = 3;
/** A further sentence is quoted only when it scores at least this share of the best one. */
const MIN_SHARE_OF_BEST = 0.4;
/** Words of a heading or of the FAQ question a sentence answers count this much towards it. */
const CONTEXT_WEIGHT = 0.5;
/** Sources come best first; choosing the lead sentence, each later one's count this much less (retrieval's judgement). */
const RANK_DISCOUNT = 0.5;

interface Sentence {
  source: number;
  position: number;
  text: string;
  terms: Set<string>;
  /** A row of a rendered table ("Column: value | …"), not prose. */
  tableRow: boolean;
  /** Terms of the heading above it and of the question it answers (an FAQ's question line). */
  context: Set<string>;
}

/**
 * Quotes the sentences of the sources that answer the question, each followed by its source's
 * citation marker. A sentence scores by the question's words it holds (rarer words weigh
 * more; a WordNet synonym of a word, as search expands it, for SYNONYM_WEIGHT of the word, so
 * the sentence saying "neurons" answers "nerve cells" when search found its passage that way),
 * plus half for those only in its heading or in the FAQ question it answers: headings
 * and question lines themselves are never quoted, since they state the topic, not the answer
 * ("When is the service department open?" is not; the hours sentence after it is). The lead is
 * the best sentence after discounting each by its source's place in the retrieval order (the
 * second source's by a third); the sentence after the lead in its source comes next, then
 * sentences scoring at least 40% of the lead, best first. Without any overlap, the first
 * sentences of the best-ranked source stand in (retrieval already judged it relevant).
 */
export function composeExtractiveAnswer(question: string, sources: readonly LlmSource[]): string {
  if (sources.length === 0) return NO_SOURCES_ANSWER;
  const sentences = sources.flatMap((source) => quotableSentences(source));
  if (sentences.length === 0) return NO_SOURCES_ANSWER;

  // Each question term with its synonyms: a family is weighed by how few sentences hold any of it.
  const families = [...questionTermFamilies(question)].map(([term, synonyms]) => ({ term, synonyms }));
  const holds = (terms: Set<string>, family: { term: string; synonyms: string[] }) => terms.has(family.term) || family.synonyms.some((synonym) => terms.has(synonym));
  const weighted = families.map((family) => {
    const holders = sentences.filter((s) => holds(s.terms, family) || holds(s.context, family)).length;
    return { ...family, weight: Math.log(1 + sentences.length / Math.max(1, holders)) };
  });
  const rankOf = new Map(sources.map((source, i) => [source.number, i]));
  /** The term itself counts in full, a synonym for SYNONYM_WEIGHT; in the sentence, else half in its context. */
  const familyMatch = (terms: Set<string>, family: { term: string; synonyms: string[] }) =>
    terms.has(family.term) ? 1 : family.synonyms.some((synonym) => terms.has(synonym)) ? SYNONYM_WEIGHT : 0;
  const scoreOf = (sentence: Sentence) => {
    let score = 0;
    for (const family of weighted) {
      const own = familyMatch(sentence.terms, family);
      score += family.weight * (own > 0 ? own : CONTEXT_WEIGHT * familyMatch(sentence.context, family));
    }
    return score;
  };
  const byScore = (a: { score: number; sentence: Sentence }, b: { score: number; sentence: Sentence }) =>
    b.score - a.score || a.sentence.source - b.sentence.source || a.sentence.position - b.sentence.position;
  const scored = sentences.map((sentence) => ({ sentence, score: scoreOf(sentence) })).filter(({ score }) => score > 0);

  let chosen: Sentence[];
  if (scored.length > 0) {
    // The lead follows retrieval's judgement too; the sentences after it stand on their own words.
    const lead = scored
      .map((entry) => ({ ...entry, score: entry.score / (1 + RANK_DISCOUNT * (rankOf.get(entry.sentence.source) ?? 0)) }))
      .sort(byScore)[0].sentence;
    const leadScore = scoreOf(lead);
    // What the lead's passage says next usually finishes its thought ("Glaciers move in two main
    // ways." → how), whatever words it shares with the question. Not after a table row: the
    // next row is another record.
    const next = lead.tableRow ? undefined : sentences.find((s) => s.source === lead.source && s.position === lead.position + 1);
    const rest = scored.filter(({ sentence, score }) => sentence !== lead && sentence !== next && score >= MIN_SHARE_OF_BEST * leadScore).sort(byScore);
    chosen = [lead, ...(next ? [next] : []), ...rest.map(({ sentence }) => sentence)];
  } else {
    chosen = sentences.filter((s) => s.source === sources[0].number);
  }
  const seen = new Set<string>();
  const unique = chosen.filter((s) => !seen.has(s.text) && seen.add(s.text)).slice(0, MAX_SENTENCES);
  return unique.map((s) => `${s.text} [${s.source}]`).join(' ');
}

/**
 * The source's sentences that can answer, each with its context. Blocks are separated by
 * blank lines. The first line is a heading (the chunker's "Document > Section" path, or a
 * title) when it has no closing punctuation and the next line starts a new sentence; a line
 * alone in its block without closing punctuation is a heading too. A table row (CSV and XLSX
 * rows are rendered one per line as "Column: value | …") stands alone. Sentences of prose
 * follow Unicode's rules (Intl.Segmenter) with PDF line breaks folded into spaces; one ending
 * in "?" is a question line, context for the sentences after it in its block.
 */
function quotableSentences(source: LlmSource): Sentence[] {
  const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });
  const out: Sentence[] = [];
  const headingTerms = new Set<string>();
  const add = (text: string, context: Set<string>, tableRow = false) => {
    if (!/[\p{L}\p{N}]/u.test(text)) return;
    out.push({ source: source.number, position: out.length, text, tableRow, terms: new Set(analyzeText(text)), context: new Set([...headingTerms, ...context]) });
  };

  const lines = source.text.split('\n');
  if (lines.length > 1 && isHeadingLine(lines[0]) && startsSentence(lines[1])) {
    for (const term of analyzeText(lines[0])) headingTerms.add(term);
    lines.shift();
  }
  for (const block of lines.join('\n').split(/\n\s*\n/)) {
    const blockLines = block.split('\n').filter((line) => line.trim() !== '');
    if (blockLines.length === 1 && isHeadingLine(blockLines[0])) {
      for (const term of analyzeText(blockLines[0])) headingTerms.add(term);
      continue;
    }
    let askedTerms = new Set<string>();
    let prose: string[] = [];
    const flushProse = () => {
      const text = prose.join(' ').replace(/\s+/g, ' ').trim();
      prose = [];
      for (const { segment } of segmenter.segment(text)) {
        const sentence = segment.trim();
        if (sentence.endsWith('?')) askedTerms = new Set(analyzeText(sentence));
        else add(sentence, askedTerms);
      }
    };
    for (const line of blockLines) {
      if (!line.includes(' | ')) {
        prose.push(line);
        continue;
      }
      flushProse();
      add(line.replace(/\s+/g, ' ').trim(), askedTerms, true);
    }
    flushProse();
  }
  return out;
}

/** A short line with no closing punctuation: a title or heading, not a sentence. */
function isHeadingLine(line: string): boolean {
  const text = line.trim();
  return text !== '' && !text.includes(' | ') && !/[.!?:;,]$/.test(text) && text.split(/\s+/).length <= 16;
}

function startsSentence(line: string): boolean {
  return /^\s*[\p{Lu}\p{N}("'“-]/u.test(line);
}
