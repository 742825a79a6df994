import { loadConfig } from '@showroom/core';
import { DocumentParseError } from '../parsing';
import { ParseSandbox } from './parse-sandbox';

/** The real worker thread, with real limits: what a hostile or heavy file meets. */
describe('ParseSandbox', () => {
  const sandbox = (env: Record<string, string> = {}) => new ParseSandbox(loadConfig(env));
  const bigCsv = () => Buffer.from(['model,trim,price', ...Array.from({ length: 100_000 }, (_, i) => `Model ${i},Trim ${i % 7},${20_000 + i}`)].join('\n'));

  it('parses and chunks a document off the main thread', async () => {
    const chunks = await sandbox().parse(Buffer.from('# Financing\n\nRates start at 3.9% APR for 36 months.'), 'markdown');
    expect(chunks).toEqual([expect.objectContaining({ index: 0, headingPath: ['Financing'], text: expect.stringContaining('3.9% APR') })]);
  });

  it('passes a document error through with its reason', async () => {
    const failure = await sandbox().parse(Buffer.from('%PDF-1.7\nnot really a pdf'), 'pdf').catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(DocumentParseError);
    expect((failure as DocumentParseError).code).toBe('CORRUPT_FILE');
  });

  it('stops a parse that runs past the deadline and says so', async () => {
    const started = Date.now();
    const failure = await sandbox({ PARSE_TIMEOUT_MS: '1000' }).parse(bigCsv(), 'csv').catch((e: unknown) => e);
    expect((failure as DocumentParseError).code).toBe('PARSE_TIMEOUT');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('stops a parse that needs more memory than allowed, and this process carries on', async () => {
    const failure = await sandbox({ PARSE_MAX_MEMORY_MB: '32' }).parse(bigCsv(), 'csv').catch((e: unknown) => e);
    expect((failure as DocumentParseError).code).toBe('PARSE_OUT_OF_MEMORY');
    expect(await sandbox().parse(Buffer.from('still alive'), 'text')).toHaveLength(1);
  });
});
