import { loadConfig } from '@showroom/core';
import { DocumentParseError } from '../parsing';
import { ragConfig } from '../rag.config';
import { MAX_DOCUMENTS_PER_THREAD, ParseSandbox } from './parse-sandbox';

/** The real worker threads, with real limits: what a hostile or heavy file meets. */
describe('ParseSandbox', () => {
  const opened: ParseSandbox[] = [];
  const sandbox = (env: Record<string, string> = {}) => {
    const created = new ParseSandbox(loadConfig(env, [ragConfig]));
    opened.push(created);
    return created;
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.onApplicationShutdown()));
  });
  const bigCsv = () => Buffer.from(['model,trim,price', ...Array.from({ length: 100_000 }, (_, i) => `Model ${i},Trim ${i % 7},${20_000 + i}`)].join('\n'));
  const markdown = (n: number) => Buffer.from(`# Offer ${n}\n\nLease the Aurora SE for $${200 + n} a month.`);
  const corruptPdf = () => Buffer.from('%PDF-1.7\nnot really a pdf');
  const failureOf = (promise: Promise<unknown>) => promise.then(() => undefined, (e: unknown) => e);
  /** The id of the one thread that holds `documents` documents now. */
  const threadWith = (s: ParseSandbox, documents: number) => s.stats().threads.find((t) => t.documents === documents)?.threadId;
  /** Waits until the sandbox has `count` warm, idle threads (replacements start by themselves). */
  const untilIdle = async (s: ParseSandbox, count = 1) => {
    while (s.stats().threads.filter((t) => t.state === 'idle').length < count) await new Promise((resolve) => setTimeout(resolve, 20));
  };

  it('parses and chunks a document off the main thread', async () => {
    const chunks = await sandbox().parse(Buffer.from('# Financing\n\nRates start at 3.9% APR for 36 months.'), 'markdown');
    expect(chunks).toEqual([expect.objectContaining({ index: 0, headingPath: ['Financing'], text: expect.stringContaining('3.9% APR') })]);
  });

  it('passes a document error through with its reason', async () => {
    const failure = await sandbox().parse(corruptPdf(), 'pdf').catch((e: unknown) => e);
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

  describe('thread pool', () => {
    it('reuses one warm thread for consecutive documents', async () => {
      const s = sandbox({ WORKER_CONCURRENCY: '2' });
      const ids: (number | undefined)[] = [];
      for (let n = 1; n <= 3; n += 1) {
        expect(await s.parse(markdown(n), 'markdown')).toEqual([expect.objectContaining({ text: expect.stringContaining(`$${200 + n}`) })]);
        ids.push(threadWith(s, n));
      }
      expect(new Set(ids).size).toBe(1);
      expect(ids[0]).toEqual(expect.any(Number));
      expect(s.stats()).toMatchObject({ poolSize: 2, threadsStarted: 1, waiting: 0, threads: [{ state: 'idle', documents: 3 }] });
    });

    it('replaces the thread after a document fails, and the next document parses in a fresh one', async () => {
      const s = sandbox({ WORKER_CONCURRENCY: '1' });
      await s.parse(markdown(1), 'markdown');
      const first = threadWith(s, 1);
      expect(await failureOf(s.parse(corruptPdf(), 'pdf'))).toMatchObject({ code: 'CORRUPT_FILE' });
      expect(s.stats().threads.map((t) => t.threadId)).not.toContain(first);

      expect(await s.parse(markdown(2), 'markdown')).toHaveLength(1);
      const next = threadWith(s, 1);
      expect(next).not.toBe(first);
      expect(s.stats().threadsStarted).toBe(2);
    });

    it('replaces a thread stopped at the deadline, and the next document parses', async () => {
      const s = sandbox({ WORKER_CONCURRENCY: '1', PARSE_TIMEOUT_MS: '1000' });
      expect(await failureOf(s.parse(bigCsv(), 'csv'))).toMatchObject({ code: 'PARSE_TIMEOUT' });
      // The replacement starts and warms up in the background, with no document waiting for it
      // (a document handed to a thread still starting has the rest of that start in its 1 s).
      await untilIdle(s);
      expect(await s.parse(markdown(1), 'markdown')).toHaveLength(1);
      expect(s.stats()).toMatchObject({ threadsStarted: 2, threads: [{ documents: 1 }] });
    });

    it('replaces a thread that ran out of memory, and the next document parses in the same sandbox', async () => {
      const s = sandbox({ WORKER_CONCURRENCY: '1', PARSE_MAX_MEMORY_MB: '32' });
      expect(await failureOf(s.parse(bigCsv(), 'csv'))).toMatchObject({ code: 'PARSE_OUT_OF_MEMORY' });
      expect(await s.parse(Buffer.from('still alive'), 'text')).toHaveLength(1);
      expect(s.stats().threadsStarted).toBeGreaterThanOrEqual(2);
    });

    it('retires a thread whose heap is near its limit after a document', async () => {
      // With a 32 MB old generation the loaded parsers alone take over half the heap.
      const s = sandbox({ WORKER_CONCURRENCY: '1', PARSE_MAX_MEMORY_MB: '32' });
      await s.parse(markdown(1), 'markdown');
      const first = s.stats().threadsStarted;
      await s.parse(markdown(2), 'markdown');
      expect(s.stats().threadsStarted).toBeGreaterThan(first);
      expect(s.stats().threads.every((t) => t.documents === 0)).toBe(true);
    });

    it(`retires a thread after ${MAX_DOCUMENTS_PER_THREAD} documents`, async () => {
      const s = sandbox({ WORKER_CONCURRENCY: '1' });
      for (let n = 0; n < MAX_DOCUMENTS_PER_THREAD; n += 1) await s.parse(Buffer.from(`note ${n}`), 'text');
      expect(s.stats().threadsStarted).toBe(2);
      expect(await s.parse(markdown(1), 'markdown')).toHaveLength(1);
      expect(s.stats()).toMatchObject({ threadsStarted: 2, threads: [{ documents: 1 }] });
    }, 60_000);

    it('parses up to the pool size at once and queues the rest', async () => {
      const s = sandbox({ WORKER_CONCURRENCY: '2' });
      const parses = [1, 2, 3, 4, 5].map((n) => s.parse(markdown(n), 'markdown'));
      expect(s.stats()).toMatchObject({ threadsStarted: 2, waiting: 3, threads: [{ state: 'busy' }, { state: 'busy' }] });
      const results = await Promise.all(parses);
      results.forEach((chunks, i) => expect(chunks[0].text).toContain(`$${201 + i}`));
      expect(s.stats().threadsStarted).toBe(2);
      expect(s.stats().threads.map((t) => t.documents).reduce((a, b) => a + b)).toBe(5);
    });

    it('a failing document fails alone while others parse beside it', async () => {
      const s = sandbox({ WORKER_CONCURRENCY: '2', PARSE_TIMEOUT_MS: '1000' });
      await s.warmUp();
      const [slow, ...fine] = await Promise.allSettled([s.parse(bigCsv(), 'csv'), s.parse(markdown(1), 'markdown'), s.parse(markdown(2), 'markdown')]);
      expect(slow).toMatchObject({ status: 'rejected', reason: { code: 'PARSE_TIMEOUT' } });
      expect(fine.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
    });

    it('warms threads up ahead of demand, and the first document uses one', async () => {
      const s = sandbox({ WORKER_CONCURRENCY: '2' });
      await s.warmUp();
      expect(s.stats()).toMatchObject({ threadsStarted: 2, threads: [{ state: 'idle' }, { state: 'idle' }] });
      await s.parse(markdown(1), 'markdown');
      expect(s.stats().threadsStarted).toBe(2);
    });

    it('terminates its threads at shutdown: parses in flight or waiting fail as retryable, later ones are refused', async () => {
      const s = sandbox({ WORKER_CONCURRENCY: '1' });
      const running = failureOf(s.parse(bigCsv(), 'csv'));
      const waiting = failureOf(s.parse(markdown(1), 'markdown'));
      await s.onApplicationShutdown();
      for (const failure of [await running, await waiting, await failureOf(s.parse(markdown(2), 'markdown'))]) {
        expect(failure).toBeInstanceOf(Error);
        expect(failure).not.toBeInstanceOf(DocumentParseError);
      }
      expect(s.stats().threads).toEqual([]);
    });
  });
});
