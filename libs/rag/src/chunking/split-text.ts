import { fitsTokenBudget } from './tokenizer';

// ICU's sentence rules (abbreviations, decimals, quotes) rather than a home-made regex.
const sentences = new Intl.Segmenter('en', { granularity: 'sentence' });

/**
 * Splits text into pieces of at most `maxTokens` tokens: whole sentences packed together where
 * possible, and a sentence longer than the budget cut by token count as a last resort.
 */
export function splitToTokenBudget(text: string, maxTokens: number): string[] {
  if (fitsTokenBudget(text, maxTokens)) return [text];
  const pieces: string[] = [];
  let current = '';
  for (const { segment } of sentences.segment(text)) {
    if (fitsTokenBudget(current + segment, maxTokens)) {
      current += segment;
      continue;
    }
    if (current.trim() !== '') pieces.push(current.trim());
    current = '';
    if (fitsTokenBudget(segment, maxTokens)) current = segment;
    else pieces.push(...splitAtTokens(segment, maxTokens));
  }
  if (current.trim() !== '') pieces.push(current.trim());
  return pieces;
}

/**
 * Cuts text into the longest pieces of at most `maxTokens` tokens, preferring to cut after a
 * space in the second half of a piece. Pieces are found by counting the tokens of substrings
 * (never by decoding token slices), so every piece is exactly a part of the text and no
 * character is ever split.
 */
export function splitAtTokens(text: string, maxTokens: number): string[] {
  const pieces: string[] = [];
  let start = 0;
  while (start < text.length) {
    const fits = longestFitting(text.length - start, maxTokens, (length) => fitsTokenBudget(text.slice(start, start + length), maxTokens));
    let end = start + Math.max(fits, 1);
    const lastSpace = text.slice(start, end).search(/\s\S*$/);
    if (end < text.length && lastSpace > fits / 2) end = start + lastSpace + 1;
    end = keepSurrogatePairWhole(text, end, end - 1 > start ? 'back' : 'forward');
    const piece = text.slice(start, end).trim();
    if (piece !== '') pieces.push(piece);
    start = end;
  }
  return pieces;
}

/**
 * The end of text holding at most `maxTokens` tokens, starting at a word boundary when the cut
 * falls inside a word: the overlap a chunk repeats from the one before it.
 */
export function tokenTail(text: string, maxTokens: number): string {
  if (maxTokens <= 0) return '';
  const length = longestFitting(text.length, maxTokens, (candidate) => fitsTokenBudget(text.slice(text.length - candidate), maxTokens));
  if (length === text.length) return text;
  const start = keepSurrogatePairWhole(text, text.length - length, 'forward');
  const tail = text.slice(start);
  const wordStart = /\s/.test(text[start - 1] ?? '') ? 0 : tail.search(/\s/);
  return (wordStart > 0 ? tail.slice(wordStart) : tail).trim();
}

/**
 * The largest length in [0, max] that `fits` (which holds for every shorter length too). Gallops
 * up from a typical size for the token budget before bisecting, so the cost follows the size of
 * the answer, not of the whole text: a megabyte without a full stop stays cheap to cut.
 */
function longestFitting(max: number, maxTokens: number, fits: (length: number) => boolean): number {
  let low = 0;
  let high = Math.min(max, maxTokens * 4);
  while (fits(high)) {
    if (high === max) return max;
    low = high;
    high = Math.min(max, high * 2);
  }
  high -= 1;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (fits(middle)) low = middle;
    else high = middle - 1;
  }
  return low;
}

/** Moves a cut that falls between the two halves of a surrogate pair (an emoji, say) off it. */
function keepSurrogatePairWhole(text: string, cut: number, direction: 'back' | 'forward'): number {
  const code = text.charCodeAt(cut);
  const betweenHalves = code >= 0xdc00 && code <= 0xdfff && cut > 0 && cut < text.length;
  if (!betweenHalves) return cut;
  return direction === 'back' ? cut - 1 : cut + 1;
}
