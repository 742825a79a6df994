/** Titles derived from a first message stop here, at a word boundary when there is one nearby. */
export const DERIVED_TITLE_MAX_CHARS = 80;

/** A conversation's default title: its first user message on one line, cut to about 80 characters. */
export function titleFromMessage(content: string): string {
  const line = content.replace(/\s+/g, ' ').trim();
  if (line.length <= DERIVED_TITLE_MAX_CHARS) return line;
  const cut = line.slice(0, DERIVED_TITLE_MAX_CHARS - 1);
  const lastSpace = cut.lastIndexOf(' ');
  // Prefer a whole word unless that throws away most of the line.
  return `${(lastSpace > DERIVED_TITLE_MAX_CHARS / 2 ? cut.slice(0, lastSpace) : cut).trimEnd()}…`;
}
