/**
 * Cuts a streamed answer into sentences as they complete, so the avatar starts speaking after
 * the first sentence instead of the whole answer. Sentence ends come from Intl.Segmenter
 * (ICU's sentence rules: "2.5 litres", "e.g." and decimals do not end a sentence); a segment
 * is complete once text follows it. What the avatar says is the sentence as written, minus
 * what is not speech: citation markers ([1], [2, 3]) and Markdown symbols.
 */
export class SpokenSentences {
  private readonly segmenter: Intl.Segmenter;
  private buffer = '';

  constructor(locale = 'en') {
    this.segmenter = new Intl.Segmenter(locale, { granularity: 'sentence' });
  }

  /** Adds streamed text; returns the sentences it completed. */
  push(delta: string): string[] {
    this.buffer += delta;
    const segments = [...this.segmenter.segment(this.buffer)].map((s) => s.segment);
    if (segments.length < 2) return [];
    this.buffer = segments.pop()!;
    return segments.map(speakable).filter((s) => s.length > 0);
  }

  /** The answer ended: whatever is left is the last sentence. */
  flush(): string[] {
    const rest = speakable(this.buffer);
    this.buffer = '';
    return rest ? [rest] : [];
  }
}

/** The words of a sentence, without citation markers or Markdown. */
export function speakable(sentence: string): string {
  return sentence
    .replace(/\[\d+(?:\s*,\s*\d+)*\]/g, '')
    .replace(/[*_`#>|]+/g, '')
    .replace(/^\s*[-+]\s+/gm, '')
    .replace(/\s+/g, ' ')
    .replace(/\s+([.,!?;:])/g, '$1')
    .trim();
}
