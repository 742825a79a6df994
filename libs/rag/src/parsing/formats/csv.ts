import { parse } from 'csv-parse/sync';
import { detectCsvShape } from '../csv-dialect';
import { corruptFile } from '../document-parse-error';
import type { ParsedDocument } from '../parsed-document';
import type { ResolvedParseLimits } from '../parse-limits';
import { SectionCollector } from '../section-collector';
import { formatTableRow } from '../table-rows';
import { decodeTextDocument } from './decode-text';

/**
 * CSV: the first record is the header row, and every later record becomes one section that
 * labels each value with its header, so a chunk of a price list stays readable on its own.
 */
export function parseCsv(bytes: Buffer, limits: ResolvedParseLimits): ParsedDocument {
  const text = decodeTextDocument(bytes, 'CSV');
  const delimiter = detectCsvShape(text)?.delimiter ?? ',';
  let records: string[][];
  try {
    records = parse(text, { delimiter, skip_empty_lines: true, relax_column_count: true, trim: true });
  } catch (error) {
    throw corruptFile('CSV', error);
  }
  const collector = new SectionCollector(limits.maxExtractedChars);
  const [headers, ...rows] = records;
  if (rows.length === 0 && headers) collector.block(formatTableRow(null, headers));
  for (const row of rows) collector.block(formatTableRow(headers, row));
  return collector.finish(null);
}
