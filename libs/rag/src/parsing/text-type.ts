import { detectCsvShape } from './csv-dialect';
import type { DocumentType } from './document-type';

type TextDocumentType = Extract<DocumentType, 'csv' | 'markdown' | 'text'>;

const SAMPLE_CHARS = 64 * 1024;

const HTML_START = /^<(!doctype\s+html|html[\s>]|head[\s>]|body[\s>])/i;
const HTML_BODY_TAG = /<body[\s>]/i;
const HTML_BLOCK_ELEMENT = /<(p|div|h[1-6]|table|ul|ol|section|article)(\s[^>]*)?>[\s\S]*?<\/\1>/i;

const MARKDOWN_STRONG = [
  /^#{1,6}[ \t]+\S/m, // ATX heading
  /^(```|~~~)/m, // fenced code
  /\[[^\]\n]+\]\([^)\s]+\)/, // inline link
  /^\|?[ \t]*:?-{3,}:?[ \t]*(\|[ \t]*:?-{3,}:?[ \t]*)+\|?[ \t]*$/m, // table separator row
  /^\S.*\n(=+|-+)[ \t]*$/m, // setext heading
];
const MARKDOWN_LIST_ITEM = /^[ \t]*([-*+]|\d+[.)])[ \t]+\S/gm;
const MARKDOWN_EMPHASIS = /(\*\*|__)\S[^\n]*?\S\1/;

const EXTENSION_TYPES: Record<string, TextDocumentType> = {
  csv: 'csv',
  md: 'markdown',
  markdown: 'markdown',
  txt: 'text',
  text: 'text',
};

/**
 * The type of a decoded text file, from its content. HTML is recognised by markup; otherwise the
 * content yields the types it could be, most likely first, and the file name's extension may
 * only choose among those (a tie-break): `notes.txt` full of Markdown headings stays Markdown.
 */
export function classifyText(text: string, fileName?: string): 'html' | TextDocumentType {
  const sample = text.slice(0, SAMPLE_CHARS);
  if (looksLikeHtml(sample)) return 'html';
  const candidates = candidateTypes(sample);
  const fromExtension = extensionType(fileName);
  return fromExtension && candidates.includes(fromExtension) ? fromExtension : candidates[0];
}

function looksLikeHtml(sample: string): boolean {
  const start = sample.trimStart();
  if (HTML_START.test(start)) return true;
  if (HTML_BODY_TAG.test(sample)) return true;
  // A document that opens with markup and has a block element; Markdown rarely starts with '<'.
  return start.startsWith('<') && HTML_BLOCK_ELEMENT.test(sample);
}

function candidateTypes(sample: string): TextDocumentType[] {
  const csv = detectCsvShape(sample);
  const markdownIsClear = MARKDOWN_STRONG.some((pattern) => pattern.test(sample));
  const clear: TextDocumentType[] = [];
  if (csv && csv.sampledRecords >= 3) clear.push('csv');
  if (markdownIsClear) clear.push('markdown');
  if (clear.length > 0) return clear;

  const possible: TextDocumentType[] = [];
  if (csv) possible.push('csv');
  const listItems = sample.match(MARKDOWN_LIST_ITEM)?.length ?? 0;
  if (listItems >= 2 || MARKDOWN_EMPHASIS.test(sample)) possible.push('markdown');
  return [...possible, 'text'];
}

function extensionType(fileName: string | undefined): TextDocumentType | undefined {
  const extension = fileName?.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1];
  return extension ? EXTENSION_TYPES[extension] : undefined;
}
