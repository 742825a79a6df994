import PDFDocument from 'pdfkit';
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { pipeline } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import type { DocumentBlock, FileDocument } from './file-document';
import type { RenderOptions } from './render-options';

/** Debian's fonts-dejavu-core: broad Unicode coverage (Latin, Greek, Cyrillic, Arabic, Hebrew, symbols). */
export const DEFAULT_PDF_FONTS = {
  regular: '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  bold: '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
};

const HEADING_SIZES = { 1: 18, 2: 13, 3: 11 } as const;
const BODY_SIZE = 10;
const MUTED = '#555555';

/**
 * A4 PDF with an embedded TrueType font (pdfkit subsets it and writes a ToUnicode map, so
 * the text is searchable and extractable). The standard 14 PDF fonts only cover Latin-1,
 * which is why a TTF is required. Pages are written to `out` as they fill up, and the
 * renderer yields to the event loop between blocks so a large document streams to disk.
 */
export async function renderPdf(doc: FileDocument, out: Writable, options: RenderOptions = {}): Promise<void> {
  const fonts = options.pdfFonts ?? DEFAULT_PDF_FONTS;
  await Promise.all([fonts.regular, fonts.bold].map((path) => access(path, constants.R_OK))).catch((error: Error) => {
    throw new Error(`PDF font not readable (${error.message}); set EXPORT_PDF_FONT / EXPORT_PDF_FONT_BOLD to TrueType files`);
  });
  const pdf = new PDFDocument({ size: 'A4', margin: 50, info: { Title: doc.title, Subject: doc.subtitle ?? '', Creator: 'Showroom' }, autoFirstPage: true });
  const writing = pipeline(pdf, out);
  pdf.registerFont('body', fonts.regular);
  pdf.registerFont('bold', fonts.bold);
  pdf.font('bold').fontSize(HEADING_SIZES[1]).text(doc.title);
  if (doc.subtitle) pdf.font('body').fontSize(BODY_SIZE).fillColor(MUTED).text(doc.subtitle).fillColor('black');
  pdf.moveDown();
  for (let i = 0; i < doc.blocks.length; i += 1) {
    writeBlock(pdf, doc.blocks[i]);
    if (i % 20 === 19) {
      options.onProgress?.(i / doc.blocks.length);
      await yieldToEventLoop();
    }
  }
  pdf.end();
  await writing;
  options.onProgress?.(1);
}

function writeBlock(pdf: PDFKit.PDFDocument, block: DocumentBlock): void {
  switch (block.kind) {
    case 'heading':
      pdf.moveDown(block.level === 1 ? 1 : 0.6).font('bold').fontSize(HEADING_SIZES[block.level]).text(block.text);
      pdf.moveDown(0.2);
      return;
    case 'paragraph':
      pdf.font('body').fontSize(BODY_SIZE).fillColor(block.muted ? MUTED : 'black').text(block.text, { paragraphGap: 4 }).fillColor('black');
      return;
    case 'fields':
      for (const field of block.items) {
        pdf.font('bold').fontSize(BODY_SIZE).text(`${field.label}: `, { continued: true }).font('body').text(field.value);
      }
      pdf.moveDown(0.5);
      return;
    case 'list':
      block.items.forEach((item, index) => {
        pdf.font('body').fontSize(BODY_SIZE - 1).text(`${block.ordered ? `[${index + 1}]` : '•'} ${item}`, { indent: 10, paragraphGap: 2 });
      });
      pdf.moveDown(0.3);
      return;
    case 'table':
      // Rows as lines: reports are narrow (a few columns), and wrapped lines stay readable.
      pdf.font('bold').fontSize(BODY_SIZE - 1).text(block.columns.join('  |  '));
      for (const row of block.rows) pdf.font('body').text(row.join('  |  '), { paragraphGap: 2 });
      pdf.moveDown(0.5);
      return;
  }
}
