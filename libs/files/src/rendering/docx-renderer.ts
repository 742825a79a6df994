import { Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import { pipeline } from 'node:stream/promises';
import type { Readable, Writable } from 'node:stream';
import type { DocumentBlock, FileDocument } from './file-document';
import type { RenderOptions } from './render-options';

const HEADINGS = { 1: HeadingLevel.HEADING_1, 2: HeadingLevel.HEADING_2, 3: HeadingLevel.HEADING_3 } as const;

/**
 * Word document with real heading styles (navigation pane, table of contents), the title as
 * Heading 1 and the document's title property. docx builds the document tree in memory and zips
 * it as a stream; the tree of a capped export (EXPORT_MAX_MESSAGES) is small.
 */
export async function renderDocx(doc: FileDocument, out: Writable, options: RenderOptions = {}): Promise<void> {
  // The title is Heading 1 (not the Title style) so outlines and readers see one heading tree under it.
  const children: (Paragraph | Table)[] = [new Paragraph({ text: doc.title, heading: HeadingLevel.HEADING_1 })];
  if (doc.subtitle) children.push(new Paragraph({ children: [new TextRun({ text: doc.subtitle, italics: true })] }));
  doc.blocks.forEach((block, index) => {
    children.push(...toDocx(block));
    if (index % 100 === 99) options.onProgress?.((index / doc.blocks.length) * 0.8);
  });
  const document = new Document({ title: doc.title, subject: doc.subtitle, creator: 'Showroom', sections: [{ children }] });
  // toStream is typed as the legacy Stream; at run time it is a Readable.
  await pipeline(Packer.toStream(document) as Readable, out);
  options.onProgress?.(1);
}

function toDocx(block: DocumentBlock): (Paragraph | Table)[] {
  switch (block.kind) {
    case 'heading':
      return [new Paragraph({ text: block.text, heading: HEADINGS[block.level] })];
    case 'paragraph':
      // Line breaks inside a message stay line breaks.
      return [new Paragraph({ children: lines(block.text, block.muted) })];
    case 'fields':
      return block.items.map((f) => new Paragraph({ children: [new TextRun({ text: `${f.label}: `, bold: true }), new TextRun(f.value)] }));
    case 'list':
      return block.items.map((item, i) => new Paragraph({ children: [new TextRun({ text: block.ordered ? `[${i + 1}] ` : '• ', bold: block.ordered }), new TextRun(item)], indent: { left: 360 } }));
    case 'table':
      return [
        new Table({
          width: { size: 100, type: WidthType.PERCENTAGE },
          rows: [
            new TableRow({ tableHeader: true, children: block.columns.map((c) => cell(c, true)) }),
            ...block.rows.map((row) => new TableRow({ children: row.map((c) => cell(c, false)) })),
          ],
        }),
      ];
  }
}

function cell(text: string, bold: boolean): TableCell {
  return new TableCell({ children: [new Paragraph({ children: [new TextRun({ text, bold })] })] });
}

function lines(text: string, muted = false): TextRun[] {
  return text.split('\n').map((line, i) => new TextRun({ text: line, break: i > 0 ? 1 : undefined, color: muted ? '555555' : undefined }));
}
