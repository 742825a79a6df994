import mammoth from 'mammoth';
import { corruptFile } from '../document-parse-error';
import { collectHtmlSections } from '../html-sections';
import type { ParsedDocument } from '../parsed-document';
import type { ResolvedParseLimits } from '../parse-limits';
import { SectionCollector } from '../section-collector';
import { assertZipWithinLimits } from '../zip-archive';

// Images carry no text; an empty src keeps mammoth from inlining them as base64 into the HTML.
const dropImages = mammoth.images.imgElement(() => Promise.resolve({ src: '' }));

/**
 * Word: mammoth renders the document as semantic HTML (Heading 1-6 styles become <h1>-<h6>),
 * which the HTML walker turns into sections. The archive is checked against the limits first,
 * because mammoth inflates it whole.
 */
export async function parseDocx(bytes: Buffer, limits: ResolvedParseLimits): Promise<ParsedDocument> {
  await assertZipWithinLimits(bytes, 'Word', limits);
  let html: string;
  try {
    // externalFileAccess: a document must never make us read files it links to on our disk.
    ({ value: html } = await mammoth.convertToHtml({ buffer: bytes }, { convertImage: dropImages, externalFileAccess: false }));
  } catch (error) {
    throw corruptFile('Word', error);
  }
  const collector = new SectionCollector(limits.maxExtractedChars);
  collectHtmlSections(html, collector);
  return collector.finish(null, 'This Word document contains no text to add to the knowledge base.');
}
