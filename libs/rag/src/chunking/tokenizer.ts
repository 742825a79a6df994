import { countTokens as countWithSpecialTokens } from 'gpt-tokenizer/encoding/cl100k_base';

/**
 * cl100k_base, the encoding of OpenAI's text-embedding-3 models, so a chunk's token count is what
 * the embeddings provider counts. gpt-tokenizer ships the ranks in the package: nothing is
 * downloaded at run time.
 */
export const TOKENIZER_ENCODING = 'cl100k_base';

// Documents are untrusted text: "<|endoftext|>" in a PDF is ordinary characters, not a control
// token (gpt-tokenizer would otherwise throw on it).
const AS_PLAIN_TEXT = { allowedSpecial: new Set<string>(), disallowedSpecial: new Set<string>() };

export function countTokens(text: string): number {
  return countWithSpecialTokens(text, AS_PLAIN_TEXT);
}

// No cl100k_base token is longer than 128 characters (the longest is a run of 128 spaces).
const MAX_CHARS_PER_TOKEN = 128;

/**
 * Whether text holds at most `maxTokens` tokens. Text too long to possibly fit is not counted at
 * all: BPE over one long unbroken word is quadratic (300 KB of letters without a space takes
 * gpt-tokenizer seconds), and a hostile document must not buy that with one giant "word".
 */
export function fitsTokenBudget(text: string, maxTokens: number): boolean {
  return text.length <= maxTokens * MAX_CHARS_PER_TOKEN && countTokens(text) <= maxTokens;
}
