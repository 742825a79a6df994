/**
 * What a generated file says, independent of its format: the chat lib builds one of these
 * (a conversation, a report) and a renderer turns it into PDF, DOCX or CSV bytes. Text is
 * plain text; renderers escape and lay it out.
 */
export type DocumentBlock =
  | { kind: 'heading'; level: 1 | 2 | 3; text: string }
  | { kind: 'paragraph'; text: string; muted?: boolean }
  /** Label/value pairs, e.g. "Dealership: Harbor Point Motors". */
  | { kind: 'fields'; items: { label: string; value: string }[] }
  /** Numbered when `ordered` (citations as numbered sources). */
  | { kind: 'list'; ordered: boolean; items: string[] }
  | { kind: 'table'; columns: string[]; rows: string[][] };

export type CellValue = string | number | boolean | null;

export interface FileDocument {
  title: string;
  /** Shown under the title; also the document's subject property. */
  subtitle?: string;
  blocks: DocumentBlock[];
  /**
   * The same content as one table for tabular formats (CSV): one row per record (a
   * conversation's messages, a report's lines).
   */
  records: { columns: string[]; rows: CellValue[][] };
}
