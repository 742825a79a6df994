/**
 * Builds real documents for the parsing specs at run time, with the same kinds of tools that
 * produce the files dealerships upload (a PDF writer, a Word writer, an Excel writer, a zip
 * writer), so the parsers are tested on genuine files rather than on hand-made bytes.
 */
import { PDFDocument, StandardFonts } from '@cantoo/pdf-lib';
import { Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow } from 'docx';
import ExcelJS from 'exceljs';
import { Readable } from 'node:stream';
import { ZipFile } from 'yazl';

export interface PdfPageSpec {
  heading?: string;
  paragraphs: string[];
}

const PDF_BODY_SIZE = 11;
const PDF_HEADING_SIZE = 20;

/** One PDF page per spec: an optional large heading, then paragraphs separated by a blank gap. */
export async function makePdf(pages: PdfPageSpec[], options: { userPassword?: string } = {}): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (const spec of pages) {
    const page = pdf.addPage([595, 842]);
    let y = 780;
    if (spec.heading) {
      page.drawText(spec.heading, { x: 50, y, size: PDF_HEADING_SIZE, font });
      y -= PDF_HEADING_SIZE * 2;
    }
    for (const paragraph of spec.paragraphs) {
      const lines = wrap(paragraph, 80);
      page.drawText(lines.join('\n'), { x: 50, y, size: PDF_BODY_SIZE, font, lineHeight: PDF_BODY_SIZE * 1.2 });
      y -= lines.length * PDF_BODY_SIZE * 1.2 + PDF_BODY_SIZE * 2;
    }
  }
  if (options.userPassword) pdf.encrypt({ userPassword: options.userPassword, ownerPassword: `${options.userPassword}-owner` });
  return Buffer.from(await pdf.save());
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

export type DocxBlock = { heading1: string } | { heading2: string } | { paragraph: string } | { table: string[][] };

export async function makeDocx(blocks: DocxBlock[]): Promise<Buffer> {
  const children = blocks.map((block) => {
    if ('heading1' in block) return new Paragraph({ text: block.heading1, heading: HeadingLevel.HEADING_1 });
    if ('heading2' in block) return new Paragraph({ text: block.heading2, heading: HeadingLevel.HEADING_2 });
    if ('paragraph' in block) return new Paragraph(block.paragraph);
    return new Table({
      rows: block.table.map(
        (cells, index) =>
          new TableRow({ tableHeader: index === 0, children: cells.map((cell) => new TableCell({ children: [new Paragraph(cell)] })) }),
      ),
    });
  });
  return Packer.toBuffer(new Document({ sections: [{ children }] }));
}

export async function makeXlsx(sheets: { name: string; rows: (string | number)[][] }[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  for (const sheet of sheets) workbook.addWorksheet(sheet.name).addRows(sheet.rows);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export interface ZipEntrySpec {
  name: string;
  /** Content given whole, or a count of zero bytes streamed through the compressor. */
  content: string | { zeroBytes: number };
}

/** A zip written by yazl; zero-byte entries are streamed, so a huge one costs no memory to build. */
export async function makeZip(entries: ZipEntrySpec[]): Promise<Buffer> {
  const zip = new ZipFile();
  for (const entry of entries) {
    if (typeof entry.content === 'string') zip.addBuffer(Buffer.from(entry.content), entry.name);
    // Level 1 deflates zeros about 230:1 five times faster than level 9 does 1000:1: bomb enough.
    else zip.addReadStream(zeroStream(entry.content.zeroBytes), entry.name, { compressionLevel: 1 });
  }
  zip.end();
  const parts: Buffer[] = [];
  for await (const part of zip.outputStream) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

/** The parts a zip needs for the sniffer to take it for a Word document. */
export const MINIMAL_DOCX_PARTS: ZipEntrySpec[] = [
  { name: '[Content_Types].xml', content: '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>' },
  { name: '_rels/.rels', content: '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>' },
];

function zeroStream(totalBytes: number): Readable {
  const block = Buffer.alloc(1024 * 1024);
  let remaining = totalBytes;
  return new Readable({
    read() {
      if (remaining <= 0) return void this.push(null);
      const size = Math.min(block.length, remaining);
      remaining -= size;
      this.push(size === block.length ? block : block.subarray(0, size));
    },
  });
}

/**
 * Rewrites the uncompressed size the central directory declares for one entry, leaving the data
 * as it is: a zip that lies about how much it inflates to.
 */
export function declareUncompressedSize(zip: Buffer, entryName: string, declaredSize: number): Buffer {
  const patched = Buffer.from(zip);
  const centralHeader = 0x02014b50;
  for (let offset = patched.length - 22; offset >= 0; offset--) {
    if (patched.readUInt32LE(offset) !== centralHeader) continue;
    const nameLength = patched.readUInt16LE(offset + 28);
    if (patched.toString('utf8', offset + 46, offset + 46 + nameLength) === entryName) {
      patched.writeUInt32LE(declaredSize, offset + 24);
      return patched;
    }
  }
  throw new Error(`no central directory entry named ${entryName}`);
}
