import { MINIMAL_DOCX_PARTS, declareUncompressedSize, makeZip } from './__fixtures__/make-test-files';
import { DocumentParseError } from './document-parse-error';
import { parseDocument } from './parse-document';
import type { DocumentType } from './document-type';
import { sniffDocumentType } from './sniff-type';

const MiB = 1024 * 1024;

interface Outcome {
  error: unknown;
  elapsedMs: number;
  rssGrowthBytes: number;
}

/** Parses and records how long it took and how far the resident memory rose meanwhile. */
async function parseMeasured(bytes: Buffer, type: DocumentType): Promise<Outcome> {
  const baseline = process.memoryUsage.rss();
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 1);
  const started = performance.now();
  const error = await parseDocument(bytes, type).then(
    () => undefined,
    (reason: unknown) => reason,
  );
  const elapsedMs = performance.now() - started;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage.rss());
  return { error, elapsedMs, rssGrowthBytes: peak - baseline };
}

function expectArchiveTooLarge(outcome: Outcome, reason: RegExp): void {
  expect(outcome.error).toBeInstanceOf(DocumentParseError);
  expect(outcome.error).toMatchObject({ code: 'ARCHIVE_TOO_LARGE', message: expect.stringMatching(reason) });
}

describe('parseDocument: archive limits', () => {
  it('refuses a Word zip bomb from its central directory, fast and without inflating it', async () => {
    // 256 MiB of zeros deflate to about 1 MB: two and a half times the default 100 MB limit.
    const bomb = await makeZip([...MINIMAL_DOCX_PARTS, { name: 'word/document.xml', content: { zeroBytes: 256 * MiB } }]);
    expect(bomb.length).toBeLessThan(4 * MiB);
    expect(await sniffDocumentType(bomb, 'brochure.docx')).toBe('docx');

    const outcome = await parseMeasured(bomb, 'docx');

    expectArchiveTooLarge(outcome, /unpacks to 256 MB \(the limit is 100 MB\)/);
    // Inflating 256 MiB would take as many megabytes: the memory shows it was refused unread.
    // (No time bound: on a loaded CI machine 250 ms failed at 337 ms; speed belongs to bench/.)
    expect(outcome.rssGrowthBytes).toBeLessThan(64 * MiB);
  });

  it('refuses an entry compressed far beyond what office files reach, even under the size limit', async () => {
    const bomb = await makeZip([
      { name: '[Content_Types].xml', content: '<Types/>' },
      { name: 'xl/workbook.xml', content: '<workbook/>' },
      { name: 'xl/worksheets/sheet1.xml', content: { zeroBytes: 20 * MiB } },
    ]);

    const outcome = await parseMeasured(bomb, 'xlsx');

    expectArchiveTooLarge(outcome, /compressed more than 100 times/);
    await expect(parseDocument(bomb, 'xlsx', { maxCompressionRatio: 10_000 })).rejects.toMatchObject({ code: 'CORRUPT_FILE' });
  });

  it('stops a zip that declares small sizes but inflates to more, with memory bounded', async () => {
    const honest = await makeZip([...MINIMAL_DOCX_PARTS, { name: 'word/document.xml', content: { zeroBytes: 200 * MiB } }]);
    const liar = declareUncompressedSize(honest, 'word/document.xml', MiB);

    const outcome = await parseMeasured(liar, 'docx');

    expectArchiveTooLarge(outcome, /larger than the archive declares/);
    expect(outcome.rssGrowthBytes).toBeLessThan(64 * MiB);
  });

  it('refuses an archive with more entries than the limit', async () => {
    const zip = await makeZip(Array.from({ length: 5 }, (_, i) => ({ name: `word/part${i}.xml`, content: '<x/>' })));

    await expect(parseDocument(zip, 'docx', { maxArchiveEntries: 4 })).rejects.toMatchObject({
      code: 'ARCHIVE_TOO_LARGE',
      message: expect.stringMatching(/5 files \(the limit is 4\)/),
    });
  });
});
