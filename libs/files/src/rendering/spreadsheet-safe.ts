import type { CellValue } from './file-document';

/**
 * Characters that make Excel, LibreOffice or Google Sheets read a cell as a formula (or
 * that they strip before doing so): = + - @, tab and carriage return (OWASP "CSV injection").
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A cell a spreadsheet shows as text: a string starting with a formula character gets a
 * leading apostrophe, which spreadsheets treat as "this is text" and do not display.
 * Numbers and booleans are ours, not user text, and stay as they are.
 */
export function spreadsheetSafe(value: CellValue): CellValue {
  return typeof value === 'string' && FORMULA_START.test(value) ? `'${value}` : value;
}
