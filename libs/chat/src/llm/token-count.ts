import { countTokens as countWithOptions, decode, encode } from 'gpt-tokenizer/encoding/o200k_base';

/**
 * Token counts for prompts and answers. o200k_base is the encoding of the GPT-4o, GPT-4.1, GPT-5
 * and o-series models; for other models behind an OpenAI-compatible URL it is an estimate, which
 * is all the budgets and the usage fallback need.
 */

// User text is untrusted: "<|endoftext|>" typed by a user is plain characters, not a control
// token (gpt-tokenizer would otherwise throw on it).
const AS_PLAIN_TEXT = { allowedSpecial: new Set<string>(), disallowedSpecial: new Set<string>() };

/** Tokens the chat format adds around each message (role and separators), as OpenAI counts them. */
export const TOKENS_PER_MESSAGE = 4;
/** Tokens that prime the assistant's reply after the last message. */
const REPLY_PRIMING_TOKENS = 3;

/**
 * Counts of texts seen lately, by text: every prompt counts the same system prompt and grounding
 * rules, and the passages a knowledge base answers most from come back answer after answer (the
 * tokenizer was 2-4% of the api's CPU in a burst of answers; BENCHMARKS.md). Only texts up to
 * MEMO_MAX_CHARS are kept (a question message with its sources is new every time), at most
 * MEMO_ENTRIES of them, the oldest forgotten first: a few MB at most.
 */
const MEMO_ENTRIES = 2_000;
const MEMO_MAX_CHARS = 8_000;
const memo = new Map<string, number>();

export function countTextTokens(text: string): number {
  if (text.length > MEMO_MAX_CHARS) return countWithOptions(text, AS_PLAIN_TEXT);
  const known = memo.get(text);
  if (known !== undefined) return known;
  const count = countWithOptions(text, AS_PLAIN_TEXT);
  if (memo.size >= MEMO_ENTRIES) memo.delete(memo.keys().next().value!);
  memo.set(text, count);
  return count;
}

export function countMessageTokens(messages: readonly { content: string }[]): number {
  return messages.reduce((sum, message) => sum + TOKENS_PER_MESSAGE + countTextTokens(message.content), REPLY_PRIMING_TOKENS);
}

/** The longest prefix of `text` holding at most `maxTokens` tokens. */
export function truncateToTokens(text: string, maxTokens: number): string {
  if (maxTokens <= 0) return '';
  const tokens = encode(text, AS_PLAIN_TEXT);
  // A cut inside a multi-byte character decodes to U+FFFD; drop that half character.
  return tokens.length <= maxTokens ? text : decode(tokens.slice(0, maxTokens)).replace(/\uFFFD+$/, '');
}
