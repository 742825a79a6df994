import { collectHtmlSections } from '../html-sections';
import type { ParsedDocument } from '../parsed-document';
import type { ResolvedParseLimits } from '../parse-limits';
import { SectionCollector } from '../section-collector';
import { decodeTextDocument } from './decode-text';

export function parseHtml(bytes: Buffer, limits: ResolvedParseLimits): ParsedDocument {
  const collector = new SectionCollector(limits.maxExtractedChars);
  collectHtmlSections(decodeTextDocument(bytes, 'HTML'), collector);
  return collector.finish(null);
}
