import { Parser } from 'htmlparser2';
import type { SectionCollector } from './section-collector';
import { formatTableRow } from './table-rows';

// Content that is never prose a customer should be answered from.
const SKIPPED_ELEMENTS = new Set(['script', 'style', 'noscript', 'template', 'head', 'svg', 'math', 'iframe', 'object', 'select', 'button']);
// Elements that start and end a block of text; everything else is inline.
const BLOCK_ELEMENTS = new Set([
  'address', 'article', 'aside', 'blockquote', 'body', 'dd', 'details', 'div', 'dl', 'dt', 'fieldset', 'figcaption',
  'figure', 'footer', 'form', 'header', 'hr', 'html', 'li', 'main', 'nav', 'ol', 'p', 'pre', 'section', 'summary', 'ul',
]);
const HEADING = /^h([1-6])$/;

interface TableState {
  headers: string[] | null;
  rowsSeen: number;
  row: string[] | null;
  rowIsHeader: boolean;
  cell: string | null;
}

/**
 * Walks HTML (a web page, or mammoth's rendering of a Word file) and feeds its headings and
 * blocks, in reading order, to the collector. Table rows become one block each, labelled with
 * the header row's cells when the first row is made of <th>.
 */
export function collectHtmlSections(html: string, collector: SectionCollector): void {
  const walker = new HtmlBlockWalker(collector);
  const parser = new Parser(
    {
      onopentag: (name) => walker.open(name),
      onclosetag: (name) => walker.close(name),
      ontext: (text) => walker.text(text),
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(html);
  parser.end();
  walker.flush();
}

class HtmlBlockWalker {
  private skippedDepth = 0;
  private preDepth = 0;
  private buffer = '';
  private blockIsListItem = false;
  private readonly tables: TableState[] = [];

  constructor(private readonly collector: SectionCollector) {}

  open(name: string): void {
    if (this.skippedDepth > 0 || SKIPPED_ELEMENTS.has(name)) {
      this.skippedDepth++;
      return;
    }
    const table = this.currentTable();
    if (name === 'br') return this.append('\n');
    if (name === 'table') {
      this.flush();
      this.tables.push({ headers: null, rowsSeen: 0, row: null, rowIsHeader: true, cell: null });
    } else if (name === 'tr' && table) {
      table.row = [];
      table.rowIsHeader = true;
    } else if ((name === 'td' || name === 'th') && table?.row) {
      table.cell = '';
      if (name === 'td') table.rowIsHeader = false;
    } else if (HEADING.test(name) || BLOCK_ELEMENTS.has(name)) {
      this.blockBoundary();
      if (name === 'li') this.blockIsListItem = true;
    }
    if (name === 'pre') this.preDepth++;
  }

  close(name: string): void {
    if (this.skippedDepth > 0) {
      this.skippedDepth--;
      return;
    }
    const table = this.currentTable();
    const heading = HEADING.exec(name);
    if (name === 'table' && table) {
      this.tables.pop();
      // A table that is only a header row still says something.
      if (table.headers && table.rowsSeen === 1) this.collector.block(table.headers.join(' | '));
    } else if (name === 'tr' && table?.row) {
      this.finishRow(table);
    } else if ((name === 'td' || name === 'th') && table?.row && table.cell !== null) {
      table.row.push(collapse(table.cell));
      table.cell = null;
    } else if (heading && !this.inCell()) {
      this.collector.heading(Number(heading[1]), this.buffer);
      this.buffer = '';
    } else if (BLOCK_ELEMENTS.has(name)) {
      this.blockBoundary();
    }
    // After the boundary, so the block just flushed keeps its preformatted indentation.
    if (name === 'pre') this.preDepth = Math.max(0, this.preDepth - 1);
  }

  text(text: string): void {
    if (this.skippedDepth > 0) return;
    this.append(this.preDepth > 0 ? text : text.replace(/\s+/g, ' '));
  }

  flush(): void {
    const lines = this.buffer.split('\n').map((line) => (this.preDepth > 0 ? line.trimEnd() : line.trim()));
    const text = lines.filter((line) => line !== '').join('\n');
    this.buffer = '';
    if (text === '') return;
    this.collector.block(this.blockIsListItem ? `- ${text}` : text);
    this.blockIsListItem = false;
  }

  /** Inside a table cell a block only separates words; elsewhere it ends the current block. */
  private blockBoundary(): void {
    if (this.inCell()) this.append(' ');
    else this.flush();
  }

  private append(text: string): void {
    const table = this.currentTable();
    if (table && table.cell !== null) table.cell += text;
    else this.buffer += text;
  }

  private finishRow(table: TableState): void {
    const row = table.row ?? [];
    table.row = null;
    const isFirstRow = table.rowsSeen++ === 0;
    if (isFirstRow && table.rowIsHeader && row.length > 0) {
      table.headers = row;
      return;
    }
    this.collector.block(formatTableRow(table.headers, row));
  }

  private inCell(): boolean {
    return this.currentTable()?.cell != null;
  }

  private currentTable(): TableState | undefined {
    return this.tables[this.tables.length - 1];
  }
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
