/**
 * One table row as text that still makes sense alone in a chunk: every value labelled with its
 * column header ("Model: Corolla | Trim: LE | MSRP: 25,000"), so a retrieved price-list row
 * says what each number is. Empty cells are left out; without headers the values are joined.
 */
export function formatTableRow(headers: readonly string[] | null, cells: readonly string[]): string {
  const parts: string[] = [];
  cells.forEach((cell, column) => {
    const value = cell.trim();
    if (value === '') return;
    const header = headers?.[column]?.trim();
    parts.push(header ? `${header}: ${value}` : value);
  });
  return parts.join(' | ');
}
