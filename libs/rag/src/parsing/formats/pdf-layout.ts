import type { StructuredTextItem } from 'unpdf';

/** A line of text as pdf.js positions it: baseline y (grows upwards) and its largest font size. */
export interface PdfLine {
  text: string;
  y: number;
  fontSize: number;
}

/** A paragraph, or a heading with its level (1 = largest font). */
export interface PdfBlock {
  text: string;
  headingLevel: number | null;
}

// A line this much larger than the body text, and this short, reads as a heading.
const HEADING_SIZE_FACTOR = 1.2;
const HEADING_MAX_CHARS = 150;
// Normal leading is about 1.2x the font size; a wider gap between lines starts a new paragraph.
const PARAGRAPH_GAP_FACTOR = 1.6;

/** Joins pdf.js text items into lines: a line ends at an item marked end-of-line or at a baseline jump. */
export function groupIntoLines(items: StructuredTextItem[]): PdfLine[] {
  const lines: PdfLine[] = [];
  let current = emptyLine();
  for (const item of items) {
    const visible = item.str.trim() !== '';
    const jumped = Math.abs(item.y - current.y) > Math.max(current.fontSize, item.fontSize) / 2;
    if (visible && hasText(current) && jumped) {
      pushLine(lines, current);
      current = emptyLine();
    }
    if (visible && !hasText(current)) current.y = item.y;
    current.text += item.str;
    if (visible) current.fontSize = Math.max(current.fontSize, roundSize(item.fontSize));
    if (item.hasEOL) {
      pushLine(lines, current);
      current = emptyLine();
    }
  }
  pushLine(lines, current);
  return lines;
}

function emptyLine(): PdfLine {
  return { text: '', y: 0, fontSize: 0 };
}

function hasText(line: PdfLine): boolean {
  return line.text.trim() !== '';
}

function pushLine(lines: PdfLine[], line: PdfLine): void {
  if (hasText(line)) lines.push({ ...line, text: line.text.replace(/\s+/g, ' ').trim() });
}

/**
 * Groups every page's lines into paragraphs and headings. The body font size is the one that
 * carries the most text in the whole document; larger, short lines are headings, ranked by size
 * across the document so that the same style gets the same level on every page.
 */
export function groupIntoBlocks(pages: PdfLine[][]): PdfBlock[][] {
  const bodySize = dominantFontSize(pages.flat());
  const isHeading = (line: PdfLine) => line.fontSize >= bodySize * HEADING_SIZE_FACTOR && line.text.length <= HEADING_MAX_CHARS;
  const headingSizes = [...new Set(pages.flat().filter(isHeading).map((line) => line.fontSize))].sort((a, b) => b - a);
  const levelOf = (line: PdfLine) => (isHeading(line) ? Math.min(headingSizes.indexOf(line.fontSize) + 1, 6) : null);

  return pages.map((lines) => {
    const blocks: { headingLevel: number | null; lines: PdfLine[] }[] = [];
    for (const line of lines) {
      const level = levelOf(line);
      const block = blocks[blocks.length - 1];
      const previous = block?.lines[block.lines.length - 1];
      if (block && previous && block.headingLevel === level && !startsParagraph(previous, line)) block.lines.push(line);
      else blocks.push({ headingLevel: level, lines: [line] });
    }
    return blocks.map((block) => ({ headingLevel: block.headingLevel, text: joinLines(block.lines.map((line) => line.text)) }));
  });
}

function startsParagraph(previous: PdfLine, line: PdfLine): boolean {
  const drop = previous.y - line.y;
  // Upwards means a new column or a text box placed elsewhere on the page.
  return drop <= 0 || drop > Math.max(previous.fontSize, line.fontSize) * PARAGRAPH_GAP_FACTOR;
}

function dominantFontSize(lines: PdfLine[]): number {
  const charsBySize = new Map<number, number>();
  for (const line of lines) charsBySize.set(line.fontSize, (charsBySize.get(line.fontSize) ?? 0) + line.text.length);
  let best = 0;
  let bestChars = -1;
  for (const [size, chars] of charsBySize) {
    if (chars > bestChars) [best, bestChars] = [size, chars];
  }
  return best;
}

/** Joins wrapped lines, undoing a hyphen that only split a word across the line break. */
function joinLines(lines: string[]): string {
  return lines.reduce((text, line) => (/[a-z]-$/.test(text) && /^[a-z]/.test(line) ? text.slice(0, -1) + line : `${text} ${line}`));
}

function roundSize(size: number): number {
  return Math.round(size * 2) / 2;
}
