import { makeDocx, makeXlsx } from './__fixtures__/make-test-files';
import { DocumentParseError } from './document-parse-error';
import { parseDocument } from './parse-document';

describe('parseDocument: Word', () => {
  it('nests sections under Heading 1 and Heading 2, and labels table rows with the header row', async () => {
    const docx = await makeDocx([
      { paragraph: 'Welcome to Lakeside Motors.' },
      { heading1: 'Warranty' },
      { heading2: 'Powertrain' },
      { paragraph: 'Engine and transmission are covered for five years.' },
      { paragraph: 'Claims go through the service desk.' },
      { heading2: 'Corrosion' },
      { paragraph: 'Rust perforation is covered for seven years.' },
      { heading1: 'Prices' },
      { table: [['Model', 'Trim', 'Price'], ['Corolla', 'LE', '25,000'], ['Camry', 'SE', '30,000']] },
    ]);

    const parsed = await parseDocument(docx, 'docx');

    expect(parsed).toEqual({
      pageCount: null,
      sections: [
        { page: null, headingPath: [], text: 'Welcome to Lakeside Motors.' },
        { page: null, headingPath: ['Warranty', 'Powertrain'], text: 'Engine and transmission are covered for five years.' },
        { page: null, headingPath: ['Warranty', 'Powertrain'], text: 'Claims go through the service desk.' },
        { page: null, headingPath: ['Warranty', 'Corrosion'], text: 'Rust perforation is covered for seven years.' },
        { page: null, headingPath: ['Prices'], text: 'Model: Corolla | Trim: LE | Price: 25,000' },
        { page: null, headingPath: ['Prices'], text: 'Model: Camry | Trim: SE | Price: 30,000' },
      ],
    });
  });

  it('reports a truncated Word file as damaged', async () => {
    const docx = await makeDocx([{ paragraph: 'Hello' }]);

    const error = await parseDocument(docx.subarray(0, docx.length - 100), 'docx').catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(DocumentParseError);
    expect(error).toMatchObject({ code: 'CORRUPT_FILE', message: expect.stringMatching(/^This Word file is damaged/) });
  });

  it('reports a Word file with no text as empty', async () => {
    const docx = await makeDocx([{ paragraph: '' }]);

    await expect(parseDocument(docx, 'docx')).rejects.toMatchObject({ code: 'EMPTY_DOCUMENT' });
  });
});

describe('parseDocument: Excel', () => {
  it('makes each sheet a page headed by its name, each row labelled by the header row', async () => {
    const xlsx = await makeXlsx([
      { name: 'New cars', rows: [['Model', 'Trim', 'MSRP'], ['Corolla', 'LE', 25000], ['Camry', '', 30000]] },
      { name: 'Used cars', rows: [['Model', 'Year'], ['Civic', 2019]] },
      { name: 'Notes', rows: [['Prices include destination charges']] },
    ]);

    const parsed = await parseDocument(xlsx, 'xlsx');

    expect(parsed).toEqual({
      pageCount: 3,
      sections: [
        { page: 1, headingPath: ['New cars'], text: 'Model: Corolla | Trim: LE | MSRP: 25000' },
        // The empty Trim cell is left out rather than labelled with nothing.
        { page: 1, headingPath: ['New cars'], text: 'Model: Camry | MSRP: 30000' },
        { page: 2, headingPath: ['Used cars'], text: 'Model: Civic | Year: 2019' },
        { page: 3, headingPath: ['Notes'], text: 'Prices include destination charges' },
      ],
    });
  });

  it('reports a truncated workbook as damaged', async () => {
    const xlsx = await makeXlsx([{ name: 'Prices', rows: [['Model'], ['Corolla']] }]);

    await expect(parseDocument(xlsx.subarray(0, 2000), 'xlsx')).rejects.toMatchObject({ code: 'CORRUPT_FILE' });
  });
});
