import type { ParsedDocument } from '../parsed-document';
import type { ResolvedParseLimits } from '../parse-limits';
import { SectionCollector } from '../section-collector';
import { decodeTextDocument } from './decode-text';

/** Plain text: one section per paragraph, paragraphs being separated by blank lines. */
export function parsePlainText(bytes: Buffer, limits: ResolvedParseLimits): ParsedDocument {
  const collector = new SectionCollector(limits.maxExtractedChars);
  for (const paragraph of decodeTextDocument(bytes, 'text').split(/\n[ \t]*\n/)) collector.block(paragraph);
  return collector.finish(null);
}
