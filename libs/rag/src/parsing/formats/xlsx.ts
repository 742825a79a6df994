import ExcelJS from 'exceljs';
import { corruptFile } from '../document-parse-error';
import type { ParsedDocument } from '../parsed-document';
import type { ResolvedParseLimits } from '../parse-limits';
import { SectionCollector } from '../section-collector';
import { formatTableRow } from '../table-rows';
import { assertZipWithinLimits } from '../zip-archive';

/**
 * Excel: each sheet is a page (sheet index + 1) whose heading is the sheet's name. The first
 * non-empty row is taken as the header row, and every later row becomes one section with its
 * values labelled by those headers. The archive is checked first, because exceljs inflates it whole.
 */
export async function parseXlsx(bytes: Buffer, limits: ResolvedParseLimits): Promise<ParsedDocument> {
  await assertZipWithinLimits(bytes, 'Excel', limits);
  const workbook = new ExcelJS.Workbook();
  try {
    // exceljs types its input as an ArrayBuffer; a copy gives one of exactly the file's size.
    await workbook.xlsx.load(new Uint8Array(bytes).buffer);
  } catch (error) {
    throw corruptFile('Excel', error);
  }
  const collector = new SectionCollector(limits.maxExtractedChars);
  workbook.worksheets.forEach((sheet, index) => collectSheet(sheet, index + 1, collector));
  return collector.finish(workbook.worksheets.length, 'This Excel workbook has no filled-in cells to add to the knowledge base.');
}

function collectSheet(sheet: ExcelJS.Worksheet, page: number, collector: SectionCollector): void {
  const headingPath = [sheet.name];
  const [headers, ...rows] = filledRows(sheet);
  // A sheet with a single row has nothing to label; keep the row itself.
  if (headers && rows.length === 0) collector.block(formatTableRow(null, headers), page, headingPath);
  for (const row of rows) collector.block(formatTableRow(headers, row), page, headingPath);
}

function filledRows(sheet: ExcelJS.Worksheet): string[][] {
  const rows: string[][] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => {
    const cells: string[] = [];
    for (let column = 1; column <= row.cellCount; column++) cells.push(cellText(row.getCell(column)));
    if (cells.some((cell) => cell.trim() !== '')) rows.push(cells);
  });
  return rows;
}

function cellText(cell: ExcelJS.Cell): string {
  // cell.text renders dates in the server's locale and time zone; a date is a date.
  if (cell.value instanceof Date) return cell.value.toISOString().slice(0, 10);
  return cell.text;
}
