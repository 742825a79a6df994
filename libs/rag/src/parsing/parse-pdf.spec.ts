import { makePdf } from './__fixtures__/make-test-files';
import { DocumentParseError } from './document-parse-error';
import { parseDocument } from './parse-document';

const WARRANTY_TEXT =
  'Every new vehicle is covered by a basic warranty of three years or 36,000 miles, whichever comes first, including parts and labour at any of our dealerships.';

async function expectParseError(promise: Promise<unknown>, code: string): Promise<DocumentParseError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(DocumentParseError);
  expect((error as DocumentParseError).code).toBe(code);
  return error as DocumentParseError;
}

describe('parseDocument: PDF', () => {
  it('keeps each paragraph on its page, under the heading set by the larger font', async () => {
    const pdf = await makePdf([
      { heading: 'Warranty', paragraphs: [WARRANTY_TEXT, 'Roadside assistance is included.'] },
      { paragraphs: ['The powertrain is covered for five years.'] },
      { heading: 'Service', paragraphs: ['Book a service online or call the workshop.'] },
    ]);

    const parsed = await parseDocument(pdf, 'pdf');

    expect(parsed.pageCount).toBe(3);
    expect(parsed.sections).toEqual([
      // The first paragraph wraps over two lines in the PDF and comes back as one section.
      { page: 1, headingPath: ['Warranty'], text: WARRANTY_TEXT },
      { page: 1, headingPath: ['Warranty'], text: 'Roadside assistance is included.' },
      // No heading on page 2: the section still sits under the heading it continues.
      { page: 2, headingPath: ['Warranty'], text: 'The powertrain is covered for five years.' },
      { page: 3, headingPath: ['Service'], text: 'Book a service online or call the workshop.' },
    ]);
  });

  it('reports a password-protected PDF as such', async () => {
    const pdf = await makePdf([{ paragraphs: ['Confidential price list'] }], { userPassword: 'secret' });

    const error = await expectParseError(parseDocument(pdf, 'pdf'), 'ENCRYPTED_PDF');
    expect(error.message).toBe('This PDF is password-protected; upload an unprotected copy.');
  });

  it('reports a truncated or garbled PDF as damaged', async () => {
    const pdf = await makePdf([{ paragraphs: ['Hello'] }, { paragraphs: ['World'] }]);

    const error = await expectParseError(parseDocument(pdf.subarray(0, Math.floor(pdf.length / 2)), 'pdf'), 'CORRUPT_FILE');
    expect(error.message).toMatch(/damaged or incomplete/);
    await expectParseError(parseDocument(Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(4096, 7)]), 'pdf'), 'CORRUPT_FILE');
  });

  it('refuses more pages than the limit before reading them', async () => {
    const pdf = await makePdf([{ paragraphs: ['one'] }, { paragraphs: ['two'] }, { paragraphs: ['three'] }]);

    const error = await expectParseError(parseDocument(pdf, 'pdf', { maxPdfPages: 2 }), 'TOO_MANY_PAGES');
    expect(error.message).toMatch(/3 pages/);
    await expect(parseDocument(pdf, 'pdf', { maxPdfPages: 3 })).resolves.toMatchObject({ pageCount: 3 });
  });

  it('reports a PDF without text (such as a scan) as empty', async () => {
    const pdf = await makePdf([{ paragraphs: [] }, { paragraphs: [] }]);

    const error = await expectParseError(parseDocument(pdf, 'pdf'), 'EMPTY_DOCUMENT');
    expect(error.message).toMatch(/no selectable text/);
  });

  it('stops at the character limit', async () => {
    const pdf = await makePdf([{ paragraphs: [WARRANTY_TEXT] }, { paragraphs: [WARRANTY_TEXT] }]);

    await expectParseError(parseDocument(pdf, 'pdf', { maxExtractedChars: WARRANTY_TEXT.length + 10 }), 'TOO_MUCH_TEXT');
  });
});
