/** How times read in generated files: UTC, to the minute, the same in every format. */
export function fileTime(iso: string | Date): string {
  const date = typeof iso === 'string' ? new Date(iso) : iso;
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** A numbered source as a line: "Warranty terms, page 3: The powertrain warranty covers…". */
export function sourceLine(source: { documentTitle: string; page: number | null; snippet: string }): string {
  return `${source.documentTitle}${source.page ? `, page ${source.page}` : ''}: ${source.snippet}`;
}
