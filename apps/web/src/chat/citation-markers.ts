// The api's marker grammar (libs/chat prompt/cited-sources): [1], [2, 3], [4; 5], [1-3]; not "[1](link)".
const MARKER = /\[\s*(\d+(?:\s*(?:[,;]|[-–])\s*\d+)*)\s*\](?!\()/g;
const MAX_RANGE = 50;

export type TextPart = { text: string } | { numbers: number[] };

function numbersIn(inside: string): number[] {
  const numbers: number[] = [];
  for (const part of inside.split(/\s*[,;]\s*/)) {
    const [from, to = from] = part.split(/\s*[-–]\s*/).map(Number);
    for (let n = from; n <= Math.min(to, from + MAX_RANGE); n += 1) numbers.push(n);
  }
  return numbers;
}

/** The answer cut into plain text and citation markers. */
export function splitMarkers(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let at = 0;
  for (const match of text.matchAll(MARKER)) {
    if (match.index > at) parts.push({ text: text.slice(at, match.index) });
    parts.push({ numbers: numbersIn(match[1]) });
    at = match.index + match[0].length;
  }
  if (at < text.length) parts.push({ text: text.slice(at) });
  return parts;
}

/**
 * Which citation a marker number names. The api lists an answer's citations in the order the
 * text first cites each source, keeping the model's numbers in the text, so the n-th distinct
 * number met in the text is the n-th citation.
 */
export function citationIndexByNumber(text: string, citationCount: number): Map<number, number> {
  const order = new Map<number, number>();
  for (const part of splitMarkers(text)) {
    if (!('numbers' in part)) continue;
    for (const n of part.numbers) if (!order.has(n) && order.size < citationCount) order.set(n, order.size);
  }
  return order;
}
