import { parse } from 'csv-parse/sync';
import mammoth from 'mammoth';
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { extractText, getDocumentProxy } from 'unpdf';
import type { FileDocument } from './file-document';
import { FileTooLargeError, renderToTempFile } from './render-to-file';

const UNICODE = 'Ελληνικά, Кириллица, Čeština, Ærøskøbing, €12 345';

const doc: FileDocument = {
  title: 'Conversation: Winter tyres ❄',
  subtitle: 'Harbor Point Motors',
  blocks: [
    { kind: 'fields', items: [{ label: 'Dealership', value: 'Harbor Point Motors' }, { label: 'Participants', value: 'Zoë Ångström, Assistant' }] },
    { kind: 'heading', level: 2, text: 'Zoë Ångström' },
    { kind: 'paragraph', text: `Do you fit winter tyres? ${UNICODE}` },
    { kind: 'heading', level: 2, text: 'Assistant' },
    { kind: 'paragraph', text: 'Yes, from November [1].' },
    { kind: 'list', ordered: true, items: ['Service FAQ, page 2: winter tyres are fitted from November'] },
  ],
  records: {
    columns: ['role', 'content', 'seq'],
    rows: [
      ['user', '=HYPERLINK("http://evil.example","click")', 1],
      ['assistant', '+1+2', 2],
      ['user', '-3', 3],
      ['user', '@SUM(A1)', 4],
      ['user', '\tTabbed', 5],
      ['user', '\rReturn', 6],
      ['assistant', `Plain, "quoted", ${UNICODE}\nsecond line`, 7],
    ],
  },
};

const rendered: { dispose(): Promise<void> }[] = [];
afterAll(async () => Promise.all(rendered.map((r) => r.dispose())));

async function render(format: 'pdf' | 'docx' | 'csv', maxBytes = 10_000_000): Promise<Buffer> {
  const file = await renderToTempFile(doc, format, { maxBytes });
  rendered.push(file);
  const bytes = await readFile(file.path);
  expect(bytes.length).toBe(file.sizeBytes);
  return bytes;
}

describe('file renderers (read back with unpdf, mammoth, csv-parse)', () => {
  it('writes a PDF with an embedded Unicode font whose text extracts back', async () => {
    const bytes = await render('pdf');
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(bytes.toString('latin1')).toMatch(/\/FontFile2/); // an embedded TrueType font
    const { text } = await extractText(await getDocumentProxy(new Uint8Array(bytes)), { mergePages: true });
    const flat = text.replace(/\s+/g, ' ');
    for (const part of ['Conversation: Winter tyres', 'Harbor Point Motors', 'Zoë Ångström', 'Ελληνικά', 'Кириллица', 'Čeština', 'Ærøskøbing', '[1] Service FAQ, page 2']) {
      expect(flat).toContain(part);
    }
  });

  it('writes a DOCX with real headings and the same content', async () => {
    const bytes = await render('docx');
    const html = (await mammoth.convertToHtml({ buffer: bytes })).value;
    expect(html).toContain('<h1>Conversation: Winter tyres ❄</h1>');
    expect(html).toContain('<h2>Zoë Ångström</h2>');
    expect(html).toContain('<h2>Assistant</h2>');
    expect(html).toContain(UNICODE);
    expect(html).toContain('[1] ');
  });

  it('writes a CSV whose formula-looking cells are neutralised and whose text survives quoting', async () => {
    const bytes = await render('csv');
    expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf])); // BOM for Excel
    const rows = parse(bytes, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.content)).toEqual([
      `'=HYPERLINK("http://evil.example","click")`,
      "'+1+2",
      "'-3",
      "'@SUM(A1)",
      "'\tTabbed",
      "'\rReturn",
      `Plain, "quoted", ${UNICODE}\nsecond line`,
    ]);
    expect(rows[0].seq).toBe('1');
  });

  it('stops with FileTooLargeError past the byte limit and leaves no file behind', async () => {
    const error = await renderToTempFile(doc, 'pdf', { maxBytes: 1_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileTooLargeError);
  });

  it('names the font setting when the PDF font is missing', async () => {
    expect(existsSync('/nonexistent.ttf')).toBe(false);
    await expect(renderToTempFile(doc, 'pdf', { maxBytes: 1e7, pdfFonts: { regular: '/nonexistent.ttf', bold: '/nonexistent.ttf' } })).rejects.toThrow(/EXPORT_PDF_FONT/);
  });
});
