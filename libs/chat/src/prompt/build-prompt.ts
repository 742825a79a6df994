import type { LlmRequest, LlmSource } from '../llm/llm.port';
import { countMessageTokens, countTextTokens, TOKENS_PER_MESSAGE, truncateToTokens } from '../llm/token-count';
import { DEFAULT_SYSTEM_PROMPT, GROUNDING_RULES } from './system-prompt';

export interface PromptPassage {
  title: string;
  page: number | null;
  text: string;
  documentId: string;
  chunkId: string;
}

export interface PromptInput {
  /** The dealership's system prompt; blank means DEFAULT_SYSTEM_PROMPT. */
  systemPrompt: string | null | undefined;
  /** Retrieved passages, best first: when the budget runs out, the last ones are dropped. */
  passages: readonly PromptPassage[];
  /** Earlier turns, oldest first. */
  history: readonly { role: 'user' | 'assistant'; content: string }[];
  question: string;
  historyTokenBudget: number;
  contextTokenBudget: number;
}

export type PromptSource = LlmSource & { documentId: string; chunkId: string };

export interface BuiltPrompt {
  messages: LlmRequest['messages'];
  sources: PromptSource[];
  inputTokens: number;
}

/** Below this many tokens left, a passage is dropped rather than cut to a useless stub. */
const MIN_PARTIAL_PASSAGE_TOKENS = 40;

/**
 * The messages for one grounded answer: system prompt and grounding rules; as much recent history
 * as its budget allows (whole messages, oldest dropped first); then one user message holding the
 * numbered sources and the question. The sources ride with the question rather than in the system
 * message so the prefix (system + history) stays the same from turn to turn, which providers'
 * prompt caches reward, and so the model reads them right next to what they should answer.
 */
export function buildPrompt(input: PromptInput): BuiltPrompt {
  const systemPrompt = input.systemPrompt?.trim() || DEFAULT_SYSTEM_PROMPT;
  const sources = fitSources(input.passages, input.contextTokenBudget);
  const messages: BuiltPrompt['messages'] = [
    { role: 'system', content: `${systemPrompt}\n\n${GROUNDING_RULES}` },
    ...fitHistory(input.history, input.historyTokenBudget),
    { role: 'user', content: questionMessage(sources, input.question) },
  ];
  return { messages, sources, inputTokens: countMessageTokens(messages) };
}

function sourceHeader(number: number, passage: Pick<PromptPassage, 'title' | 'page'>): string {
  const title = passage.title.trim() || 'Untitled document';
  return `[${number}] ${title}${passage.page === null ? '' : ` (page ${passage.page})`}`;
}

function sourceBlock(source: LlmSource): string {
  return `${sourceHeader(source.number, source)}\n${source.text}`;
}

/** Numbers passages in rank order while their blocks fit the budget; the first that overflows is cut to fit. */
function fitSources(passages: readonly PromptPassage[], budget: number): PromptSource[] {
  const sources: PromptSource[] = [];
  let left = budget;
  for (const passage of passages) {
    const number = sources.length + 1;
    const source = { number, title: passage.title, page: passage.page, text: passage.text.trim(), documentId: passage.documentId, chunkId: passage.chunkId };
    const cost = countTextTokens(sourceBlock(source));
    if (cost <= left) {
      sources.push(source);
      left -= cost;
      continue;
    }
    const room = left - countTextTokens(`${sourceHeader(number, passage)}\n`);
    if (room >= MIN_PARTIAL_PASSAGE_TOKENS) sources.push({ ...source, text: truncateToTokens(source.text, room) });
    break;
  }
  return sources;
}

/** The newest messages whose tokens fit the budget, kept whole and in order. */
function fitHistory(history: PromptInput['history'], budget: number): PromptInput['history'] {
  let left = budget;
  let first = history.length;
  while (first > 0) {
    const cost = TOKENS_PER_MESSAGE + countTextTokens(history[first - 1].content);
    if (cost > left) break;
    left -= cost;
    first -= 1;
  }
  return history.slice(first);
}

function questionMessage(sources: readonly LlmSource[], question: string): string {
  const listed = sources.length > 0 ? sources.map(sourceBlock).join('\n\n') : '(no sources were found for this question)';
  return `Sources:\n\n${listed}\n\nQuestion: ${question}`;
}
