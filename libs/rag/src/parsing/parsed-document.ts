/** One block of a document in reading order: a paragraph, list item, table row or code block. */
export interface ParsedSection {
  /** 1-based page for PDFs, sheet index + 1 for XLSX, null for formats without pages. */
  page: number | null;
  /** The headings that enclose this block, outermost first, e.g. ['Warranty', 'Powertrain']. */
  headingPath: string[];
  text: string;
}

export interface ParsedDocument {
  sections: ParsedSection[];
  /** Pages of a PDF or sheets of an XLSX; null for formats without pages. */
  pageCount: number | null;
}
