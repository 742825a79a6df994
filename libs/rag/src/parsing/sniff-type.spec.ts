import { createHash } from 'node:crypto';
import { MINIMAL_DOCX_PARTS, makeDocx, makePdf, makeXlsx, makeZip } from './__fixtures__/make-test-files';
import { sniffDocumentType } from './sniff-type';

/** Reproducible bytes that look like nothing: a hash chain. */
function pseudoRandomBytes(length: number): Buffer {
  const blocks: Buffer[] = [];
  let block = Buffer.from('seed');
  for (let size = 0; size < length; size += block.length) blocks.push((block = createHash('sha256').update(block).digest()));
  return Buffer.concat(blocks).subarray(0, length);
}

const text = (content: string) => Buffer.from(content, 'utf8');

describe('sniffDocumentType', () => {
  describe('binary formats, from their bytes whatever the file is called', () => {
    it('recognises a PDF, even one named .txt', async () => {
      const pdf = await makePdf([{ paragraphs: ['Hello'] }]);
      expect(await sniffDocumentType(pdf)).toBe('pdf');
      expect(await sniffDocumentType(pdf, 'notes.txt')).toBe('pdf');
    });

    it('tells Word from Excel by the parts inside the zip', async () => {
      const docx = await makeDocx([{ paragraph: 'Hello' }]);
      const xlsx = await makeXlsx([{ name: 'Prices', rows: [['Model'], ['Corolla']] }]);
      expect(await sniffDocumentType(docx, 'brochure.xlsx')).toBe('docx');
      expect(await sniffDocumentType(xlsx, 'prices.docx')).toBe('xlsx');
    });

    it('refuses a zip that is neither Word nor Excel', async () => {
      const zip = await makeZip([{ name: 'readme.txt', content: 'not an office file' }]);
      expect(await sniffDocumentType(zip, 'report.docx')).toBeUndefined();
    });

    it('recognises a Word zip by its main part alone', async () => {
      const zip = await makeZip([...MINIMAL_DOCX_PARTS, { name: 'word/document.xml', content: '<w:document/>' }]);
      expect(await sniffDocumentType(zip)).toBe('docx');
    });

    it('refuses an executable renamed .pdf', async () => {
      const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(58), Buffer.from([0x80, 0, 0, 0]), pseudoRandomBytes(512)]);
      expect(await sniffDocumentType(exe, 'price-list.pdf')).toBeUndefined();
    });

    it('refuses random bytes and an empty file', async () => {
      expect(await sniffDocumentType(pseudoRandomBytes(4096), 'notes.txt')).toBeUndefined();
      expect(await sniffDocumentType(Buffer.alloc(0), 'empty.txt')).toBeUndefined();
    });

    it('refuses an image', async () => {
      const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), pseudoRandomBytes(256)]);
      expect(await sniffDocumentType(png, 'photo.txt')).toBeUndefined();
    });
  });

  describe('text formats, from their content', () => {
    it('refuses text with NUL bytes, invalid UTF-8 or many control characters', async () => {
      expect(await sniffDocumentType(text('hello\u0000world'), 'a.txt')).toBeUndefined();
      expect(await sniffDocumentType(text('ab\u0001\u0002cd\u0003\u0004'.repeat(20)), 'a.txt')).toBeUndefined();
      expect(await sniffDocumentType(text('tab\tform\ffeed\r\nline'), 'a.txt')).toBe('text');
      expect(await sniffDocumentType(Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x20, 0x6f, 0x6b]), 'a.txt')).toBeUndefined();
    });

    it('recognises HTML by its document start or its markup', async () => {
      expect(await sniffDocumentType(text('\uFEFF  <!DOCTYPE html><html><body><p>Hi</p></body></html>'))).toBe('html');
      expect(await sniffDocumentType(text('<html><p>Hi</p></html>'), 'page.md')).toBe('html');
      expect(await sniffDocumentType(text('<div><p>Opening hours</p><p>Mon-Fri</p></div>'))).toBe('html');
      expect(await sniffDocumentType(text('Intro line\n<body>\n<p>Hi</p>\n</body>'))).toBe('html');
    });

    it('recognises CSV by consistent delimiters, and a .txt name does not change that', async () => {
      const csv = 'Model,Trim,Price\nCorolla,LE,25000\nCamry,"SE, sport",30000\nRAV4,XLE,33000\n';
      expect(await sniffDocumentType(text(csv), 'prices.txt')).toBe('csv');
      expect(await sniffDocumentType(text('Model;Price\nCorolla;25000\nCamry;30000\n'))).toBe('csv');
      expect(await sniffDocumentType(text('Model\tPrice\nCorolla\t25000\nCamry\t30000\n'))).toBe('csv');
    });

    it('recognises Markdown by headings or links, and a .txt name does not change that', async () => {
      expect(await sniffDocumentType(text('# Service\n\nBook at [our site](https://example.com).\n'), 'notes.txt')).toBe('markdown');
      expect(await sniffDocumentType(text('Opening hours\n=============\n\nMonday to Friday.\n'))).toBe('markdown');
    });

    it('takes plain prose as text, whatever its extension claims', async () => {
      const prose = 'We are open from nine to six.\n\nCall us to book a test drive.\n';
      expect(await sniffDocumentType(text(prose))).toBe('text');
      expect(await sniffDocumentType(text(prose), 'prose.csv')).toBe('text');
    });

    it('lets the extension break a tie between CSV, Markdown and text', async () => {
      const ambiguous = text('Hello, Anna\nThanks, Bob\n');
      expect(await sniffDocumentType(ambiguous, 'letter.txt')).toBe('text');
      expect(await sniffDocumentType(ambiguous, 'pair.csv')).toBe('csv');
      const bullets = text('- oil change\n- tyre rotation\n');
      expect(await sniffDocumentType(bullets, 'todo.txt')).toBe('text');
      expect(await sniffDocumentType(bullets, 'todo.md')).toBe('markdown');
    });
  });
});
