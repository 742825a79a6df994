import { stringify } from 'csv-stringify';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import type { FileDocument } from './file-document';
import type { RenderOptions } from './render-options';
import { spreadsheetSafe } from './spreadsheet-safe';

/**
 * CSV of the document's records: a header row, then one row per record, UTF-8 with a BOM so
 * Excel reads accents and other scripts correctly. csv-stringify quotes and escapes; it does
 * not defuse formulas, so every cell goes through spreadsheetSafe first.
 */
export async function renderCsv(doc: FileDocument, out: Writable, options: RenderOptions = {}): Promise<void> {
  const { columns, rows } = doc.records;
  const csv = stringify({ bom: true, header: true, columns: columns.map((name) => spreadsheetSafe(name) as string), cast: { boolean: (v) => (v ? 'true' : 'false') } });
  const writing = pipeline(csv, out);
  for (let i = 0; i < rows.length; i += 1) {
    // Honour backpressure so a large export streams instead of piling up in memory.
    if (!csv.write(rows[i].map(spreadsheetSafe))) await once(csv, 'drain'); // rejects if the output failed
    if (i % 200 === 0) options.onProgress?.(i / rows.length);
  }
  csv.end();
  await writing;
  options.onProgress?.(1);
}
