import { parseDocument } from './parse-document';

const utf8 = (text: string) => Buffer.from(text, 'utf8');

describe('parseDocument: CSV', () => {
  it('labels every value of a row with its column header, quoted fields included', async () => {
    const csv = 'Model,Trim,Price,Notes\r\nCorolla,LE,"25,000","Hybrid, AWD"\r\nCamry,SE,"30,000","Line one\nline two"\r\n\r\nRAV4,,33000,\r\n';

    const parsed = await parseDocument(utf8(csv), 'csv');

    expect(parsed).toEqual({
      pageCount: null,
      sections: [
        { page: null, headingPath: [], text: 'Model: Corolla | Trim: LE | Price: 25,000 | Notes: Hybrid, AWD' },
        { page: null, headingPath: [], text: 'Model: Camry | Trim: SE | Price: 30,000 | Notes: Line one\nline two' },
        { page: null, headingPath: [], text: 'Model: RAV4 | Price: 33000' },
      ],
    });
  });

  it('reads semicolon-separated files, as spreadsheets in many locales export them', async () => {
    const parsed = await parseDocument(utf8('Model;Price\nCorolla;25.000,00\nCamry;30.000,00\n'), 'csv');

    expect(parsed.sections.map((section) => section.text)).toEqual(['Model: Corolla | Price: 25.000,00', 'Model: Camry | Price: 30.000,00']);
  });

  it('reports an unterminated quote as a damaged file', async () => {
    await expect(parseDocument(utf8('Model,Price\nCorolla,"25,000\n'), 'csv')).rejects.toMatchObject({ code: 'CORRUPT_FILE' });
  });
});

describe('parseDocument: HTML', () => {
  it('follows headings, drops scripts and styles, and keeps list items and table rows apart', async () => {
    const html = `<!DOCTYPE html>
      <html><head><title>Ignored</title><style>p { color: red }</style></head>
      <body>
        <script>window.track('visit');</script>
        <h1>Service &amp; Parts</h1>
        <p>Our workshop is open
           <b>six days</b> a week.<br>Saturday until noon.</p>
        <h2>Prices</h2>
        <ul><li>Oil change</li><li>Tyre rotation</li></ul>
        <table><tr><th>Service</th><th>Price</th></tr><tr><td>Oil change</td><td>$79</td></tr></table>
        <h2>Contact</h2>
        <div>Call <a href="tel:555">555</a>.</div>
        <h1>About</h1><p>Family owned since 1962.</p>
      </body></html>`;

    const parsed = await parseDocument(utf8(html), 'html');

    expect(parsed.sections).toEqual([
      { page: null, headingPath: ['Service & Parts'], text: 'Our workshop is open six days a week.\nSaturday until noon.' },
      { page: null, headingPath: ['Service & Parts', 'Prices'], text: '- Oil change' },
      { page: null, headingPath: ['Service & Parts', 'Prices'], text: '- Tyre rotation' },
      { page: null, headingPath: ['Service & Parts', 'Prices'], text: 'Service: Oil change | Price: $79' },
      { page: null, headingPath: ['Service & Parts', 'Contact'], text: 'Call 555.' },
      { page: null, headingPath: ['About'], text: 'Family owned since 1962.' },
    ]);
    expect(JSON.stringify(parsed)).not.toMatch(/track|color|Ignored/);
  });
});

describe('parseDocument: Markdown', () => {
  it('follows headings and turns paragraphs, lists, tables and code into plain-text sections', async () => {
    const markdown = [
      '# Financing',
      '',
      'Rates start at **3.9%** APR. See [our offers](https://example.com/offers).',
      '',
      '## Documents',
      '',
      '- Driving licence',
      '- Proof of income',
      '  - last three pay slips',
      '',
      '| Term | Rate |',
      '| ---- | ---- |',
      '| 36 months | 3.9% |',
      '',
      '```',
      'APR = rate x 12',
      '```',
      '',
      '# Trade-in',
      '',
      '> Bring your service book.',
    ].join('\n');

    const parsed = await parseDocument(utf8(markdown), 'markdown');

    expect(parsed.sections).toEqual([
      { page: null, headingPath: ['Financing'], text: 'Rates start at 3.9% APR. See our offers (https://example.com/offers).' },
      { page: null, headingPath: ['Financing', 'Documents'], text: '- Driving licence' },
      { page: null, headingPath: ['Financing', 'Documents'], text: '- Proof of income\n  - last three pay slips' },
      { page: null, headingPath: ['Financing', 'Documents'], text: 'Term: 36 months | Rate: 3.9%' },
      { page: null, headingPath: ['Financing', 'Documents'], text: 'APR = rate x 12' },
      { page: null, headingPath: ['Trade-in'], text: 'Bring your service book.' },
    ]);
  });
});

describe('parseDocument: plain text', () => {
  it('splits paragraphs at blank lines and keeps the lines within one', async () => {
    const parsed = await parseDocument(utf8('\uFEFFOpening hours\r\nMon-Fri 9-18\r\n\r\n  \r\nSaturday 9-12\n'), 'text');

    expect(parsed).toEqual({
      pageCount: null,
      sections: [
        { page: null, headingPath: [], text: 'Opening hours\nMon-Fri 9-18' },
        { page: null, headingPath: [], text: 'Saturday 9-12' },
      ],
    });
  });

  it('reports a file of only whitespace and punctuation as empty', async () => {
    await expect(parseDocument(utf8(' \n\n -- \n'), 'text')).rejects.toMatchObject({ code: 'EMPTY_DOCUMENT' });
  });

  it('reports bytes that are not UTF-8 as damaged', async () => {
    await expect(parseDocument(Buffer.from([0x63, 0x61, 0x66, 0xe9]), 'text')).rejects.toMatchObject({ code: 'CORRUPT_FILE' });
  });

  it('stops at the character limit', async () => {
    const text = Array.from({ length: 50 }, (_, i) => `Paragraph ${i} about the dealership.`).join('\n\n');

    await expect(parseDocument(utf8(text), 'text', { maxExtractedChars: 500 })).rejects.toMatchObject({ code: 'TOO_MUCH_TEXT' });
    await expect(parseDocument(utf8(text), 'text', { maxExtractedChars: 5000 })).resolves.toMatchObject({ pageCount: null });
  });
});
