import type { DocumentType } from './document-type';
import { parseCsv } from './formats/csv';
import { parseDocx } from './formats/docx';
import { parseHtml } from './formats/html';
import { parseMarkdown } from './formats/markdown';
import { parsePdf } from './formats/pdf';
import { parsePlainText } from './formats/plain-text';
import { parseXlsx } from './formats/xlsx';
import type { ParsedDocument } from './parsed-document';
import { resolveParseLimits, type ParseLimits, type ResolvedParseLimits } from './parse-limits';

type FormatParser = (bytes: Buffer, limits: ResolvedParseLimits) => ParsedDocument | Promise<ParsedDocument>;

const PARSERS: Record<DocumentType, FormatParser> = {
  pdf: parsePdf,
  docx: parseDocx,
  xlsx: parseXlsx,
  csv: parseCsv,
  html: parseHtml,
  markdown: parseMarkdown,
  text: parsePlainText,
};

/**
 * The text of a document as sections in reading order, each with its page and heading path.
 * `type` is what sniffDocumentType said about the same bytes. Fails with a DocumentParseError
 * whose message tells the uploader what is wrong (password-protected, damaged, too large, empty).
 * Runs in-process: the caller bounds its time and memory (the worker runs it in a sandbox).
 */
export async function parseDocument(bytes: Buffer, type: DocumentType, limits?: ParseLimits): Promise<ParsedDocument> {
  return PARSERS[type](bytes, resolveParseLimits(limits));
}
