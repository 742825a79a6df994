import { DocumentParseError } from './document-parse-error';
import type { ParsedDocument, ParsedSection } from './parsed-document';

const HAS_CONTENT = /[\p{L}\p{N}]/u;

/**
 * Builds the sections of one document as a format parser walks it in reading order: keeps the
 * stack of enclosing headings, drops blocks with no letter or digit (a stray bullet or rule),
 * and stops the parse as soon as the text outgrows the character limit.
 */
export class SectionCollector {
  private readonly sections: ParsedSection[] = [];
  private readonly headings: { level: number; text: string }[] = [];
  private extractedChars = 0;

  constructor(private readonly maxExtractedChars: number) {}

  /** A heading of the given level (1 = outermost) closes every heading at its level or deeper. */
  heading(level: number, text: string): void {
    const title = text.replace(/\s+/g, ' ').trim();
    if (!HAS_CONTENT.test(title)) return;
    while (this.headings.length > 0 && this.headings[this.headings.length - 1].level >= level) this.headings.pop();
    this.headings.push({ level, text: title });
  }

  /** A block of body text under the current headings, or under an explicit heading path. */
  block(text: string, page: number | null = null, headingPath: string[] = this.headings.map((heading) => heading.text)): void {
    const body = text.trim();
    if (!HAS_CONTENT.test(body)) return;
    this.extractedChars += body.length;
    if (this.extractedChars > this.maxExtractedChars) {
      throw new DocumentParseError(
        'TOO_MUCH_TEXT',
        `This document has more than ${this.maxExtractedChars.toLocaleString('en-US')} characters of text, more than one document may hold; split it into smaller files.`,
      );
    }
    this.sections.push({ page, headingPath: [...headingPath], text: body });
  }

  finish(pageCount: number | null, emptyMessage = 'This document contains no text to add to the knowledge base.'): ParsedDocument {
    if (this.sections.length === 0) throw new DocumentParseError('EMPTY_DOCUMENT', emptyMessage);
    return { sections: this.sections, pageCount };
  }
}
