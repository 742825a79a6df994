import { extractTextItems, getDocumentProxy, type StructuredTextItem } from 'unpdf';
import { DocumentParseError, corruptFile } from '../document-parse-error';
import type { ParsedDocument } from '../parsed-document';
import type { ResolvedParseLimits } from '../parse-limits';
import { SectionCollector } from '../section-collector';
import { groupIntoBlocks, groupIntoLines, type PdfBlock } from './pdf-layout';

type PdfDocument = Awaited<ReturnType<typeof getDocumentProxy>>;

/**
 * PDF through pdf.js (unpdf's build, which needs no worker and no canvas in Node): the page count
 * is checked before any page is read, then each page's positioned text items are grouped into
 * lines, paragraphs and headings (by font size), with the 1-based page number kept per section.
 */
export async function parsePdf(bytes: Buffer, limits: ResolvedParseLimits): Promise<ParsedDocument> {
  const pdf = await openPdf(bytes);
  try {
    if (pdf.numPages > limits.maxPdfPages) {
      throw new DocumentParseError(
        'TOO_MANY_PAGES',
        `This PDF has ${pdf.numPages} pages, more than the ${limits.maxPdfPages} one document may have; split it into smaller files.`,
      );
    }
    const pages = await readPages(pdf);
    const collector = new SectionCollector(limits.maxExtractedChars);
    groupIntoBlocks(pages.map(groupIntoLines)).forEach((blocks, index) => collectPage(blocks, index + 1, collector));
    return collector.finish(
      pdf.numPages,
      'This PDF has no selectable text (it may be a scanned image); upload a PDF with real text, or run it through OCR first.',
    );
  } finally {
    await pdf.loadingTask.destroy();
  }
}

async function openPdf(bytes: Buffer): Promise<PdfDocument> {
  try {
    // A copy: pdf.js takes ownership of the array it is given and may detach it.
    return await getDocumentProxy(new Uint8Array(bytes), {
      // Untrusted input: no fonts from the host system, no font loading at all (text only).
      useSystemFonts: false,
      disableFontFace: true,
      verbosity: 0,
    });
  } catch (error) {
    if (error instanceof Error && error.name === 'PasswordException') {
      throw new DocumentParseError('ENCRYPTED_PDF', 'This PDF is password-protected; upload an unprotected copy.', { cause: error });
    }
    throw corruptFile('PDF', error);
  }
}

async function readPages(pdf: PdfDocument): Promise<StructuredTextItem[][]> {
  try {
    return (await extractTextItems(pdf)).items;
  } catch (error) {
    throw corruptFile('PDF', error);
  }
}

function collectPage(blocks: PdfBlock[], page: number, collector: SectionCollector): void {
  for (const block of blocks) {
    if (block.headingLevel !== null) collector.heading(block.headingLevel, block.text);
    else collector.block(block.text, page);
  }
}
