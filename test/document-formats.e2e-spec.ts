import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createApiApp } from '../apps/api/src/create-api-app';
import { createWorkerApp } from '../apps/worker/src/create-worker-app';
import { makeDocx, makePdf, makeXlsx } from '../libs/rag/src/parsing/__fixtures__/make-test-files';
import { Session, bearer, registerDealership } from './support/auth-helpers';
import { TestContext } from './support/test-context';
import { waitFor } from './support/wait-for';

/**
 * Every format the knowledge base takes, from upload to search, through the real api and
 * worker: each file is built here by a real writer (PDF, Word, Excel) or as text, carries a
 * phrase no other file has, and once `ready` a search for that phrase must put that file first,
 * with the page it came from. Every file also holds a shared sentence, and each query adds
 * words from it, so "first" is won on rank against all the other files.
 * (Parser details are unit-tested in libs/rag/src/parsing; this proves the whole path per format.)
 */
const SHARED = 'Our dealership service team handles warranty claims, financing and accessories.';

interface FormatFile {
  format: string;
  fileName: string;
  mimeType: string;
  bytes: () => Promise<Buffer>;
}

/** A search that must put `format`'s file first, reporting `page` (PDF page, Excel sheet number, or null). */
interface Probe {
  format: string;
  phrase: string;
  page: number | null;
}

const FILES: FormatFile[] = [
  {
    format: 'PDF',
    fileName: 'brochure.pdf',
    mimeType: 'application/pdf',
    bytes: () =>
      makePdf([
        { heading: 'Welcome', paragraphs: [SHARED] },
        { heading: 'Towing', paragraphs: ['The cobalt tow hitch rating is 3,500 pounds.', SHARED] },
        { heading: 'Recalls', paragraphs: ['The amber headlamp washer nozzle recall is fixed free of charge.', SHARED] },
      ]),
  },
  {
    format: 'DOCX',
    fileName: 'accessories.docx',
    mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    bytes: () =>
      makeDocx([
        { heading1: 'Accessories' },
        { paragraph: SHARED },
        { heading2: 'Interior care' },
        { paragraph: 'The heritage leather conditioning kit costs 89 dollars.' },
      ]),
  },
  {
    format: 'XLSX',
    fileName: 'price-list.xlsx',
    mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    bytes: () =>
      makeXlsx([
        { name: 'Vehicles', rows: [['Model', 'Price'], ['Hatchback', 21_990], ['Estate', 26_490], [SHARED, 0]] },
        { name: 'Accessories', rows: [['Accessory', 'Price'], ['Floor mats', 120], ['Graphite roof rails', 340]] },
      ]),
  },
  {
    format: 'CSV',
    fileName: 'offers.csv',
    mimeType: 'text/csv',
    bytes: async () => Buffer.from(`offer,price,notes\nWinter tyres,499,fitted free\nSaffron mud flaps bundle,79,all models\nService,0,"${SHARED}"\n`),
  },
  {
    format: 'HTML',
    fileName: 'promotions.html',
    mimeType: 'text/html',
    bytes: async () =>
      Buffer.from(
        `<!doctype html><html><head><title>Promotions</title><script>var zanzibarquokka = 1;</script></head>` +
          `<body><h1>Promotions</h1><p>${SHARED}</p><p>The teal cargo organizer promotion ends in May.</p></body></html>`,
      ),
  },
  {
    format: 'Markdown',
    fileName: 'coatings.md',
    mimeType: 'text/markdown',
    bytes: async () => Buffer.from(`# Paint care\n\n${SHARED}\n\n## Coatings\n\nThe violet ceramic coating lasts five years.\n`),
  },
  {
    format: 'plain text',
    fileName: 'rentals.txt',
    mimeType: 'text/plain',
    bytes: async () => Buffer.from(`${SHARED}\n\nIndigo snow chains rental is 15 dollars a week.\n`),
  },
];

const PROBES: Probe[] = [
  { format: 'PDF', phrase: 'amber headlamp washer nozzle recall', page: 3 },
  { format: 'PDF', phrase: 'cobalt tow hitch rating', page: 2 },
  { format: 'DOCX', phrase: 'heritage leather conditioning kit', page: null },
  { format: 'XLSX', phrase: 'graphite roof rails', page: 2 },
  { format: 'CSV', phrase: 'saffron mud flaps bundle', page: null },
  { format: 'HTML', phrase: 'teal cargo organizer promotion', page: null },
  { format: 'Markdown', phrase: 'violet ceramic coating', page: null },
  { format: 'plain text', phrase: 'indigo snow chains rental', page: null },
];

describe('document formats end to end', () => {
  let ctx: TestContext;
  let api: INestApplication;
  let worker: INestApplication;
  let admin: Session;
  const documentIds = new Map<string, string>();

  beforeAll(async () => {
    ctx = await TestContext.create();
    const config = ctx.config({ WORKER_QUEUES: 'ingestion,embeddings', RATE_LIMIT_USER_PER_MINUTE: '10000', RATE_LIMIT_USER_PER_SECOND: '1000' });
    worker = await createWorkerApp(config);
    api = await createApiApp(config);
    await Promise.all([worker.init(), api.init()]);
    admin = await registerDealership(api, 'Formats Motors');
    for (const file of FILES) {
      const res = await upload(await file.bytes(), file.fileName).expect(202);
      // The type comes from the bytes; a wrong sniff would send the file to the wrong parser.
      expect({ format: file.format, mimeType: res.body.mimeType }).toEqual({ format: file.format, mimeType: file.mimeType });
      documentIds.set(file.format, res.body.id);
    }
    await waitFor('every format to be ingested', async () => {
      const { rows } = await ctx.db.query(`SELECT status, error, file_name FROM documents WHERE id = ANY($1::uuid[])`, [[...documentIds.values()]]);
      const unfinished = rows.filter((row) => row.status !== 'ready');
      // A failed document will not turn ready: stop at once with its reason.
      const failed = unfinished.find((row) => row.status === 'failed');
      if (failed) throw new Error(`${failed.file_name} failed: ${failed.error}`);
      return unfinished.length === 0;
    }, 20_000);
  });

  afterAll(async () => {
    await Promise.all([api?.close(), worker?.close()]);
    await ctx?.dispose();
  });

  const http = () => request(api.getHttpServer());
  const upload = (bytes: Buffer, fileName: string) => http().post('/api/v1/documents').set(bearer(admin.accessToken)).attach('file', bytes, fileName);
  const search = (query: string) => http().post('/api/v1/search').set(bearer(admin.accessToken)).send({ query, topK: 5 }).expect(200);

  it.each(PROBES.map((probe) => [probe.format, probe.phrase, probe] as const))('%s: "%s" finds that file first, with its page', async (_, __, probe) => {
    const file = FILES.find((f) => f.format === probe.format)!;
    // The shared words make every file a candidate, so the phrase has to win on rank.
    const res = await search(`${probe.phrase} warranty financing`);
    expect(res.body.items.length).toBeGreaterThan(1);
    expect(res.body.items[0]).toMatchObject({ documentId: documentIds.get(probe.format), documentTitle: file.fileName, page: probe.page });
    expect(res.body.items[0].text.toLowerCase()).toContain(probe.phrase);
  });

  it('keeps a Word document\'s heading path on the hit', async () => {
    const hit = (await search('heritage leather conditioning kit')).body.items[0];
    const { rows } = await ctx.db.query('SELECT heading_path FROM document_chunks WHERE id = $1', [hit.chunkId]);
    expect(rows[0].heading_path).toEqual(['Accessories', 'Interior care']);
  });

  it('labels spreadsheet and CSV values with their column headers', async () => {
    expect((await search('graphite roof rails')).body.items[0].text).toContain('Accessory: Graphite roof rails | Price: 340');
    expect((await search('saffron mud flaps bundle')).body.items[0].text).toContain('offer: Saffron mud flaps bundle | price: 79 | notes: all models');
  });

  it('never indexes an HTML page\'s script', async () => {
    expect((await search('zanzibarquokka')).body).toEqual({ items: [] });
  });

  // documents.e2e-spec covers '../../etc/passwd' at upload; this follows such names through ingestion.
  it.each([
    ['../../etc/passwd.md', 'tangerine loaner shuttle'],
    ['..\\..\\etc\\passwd.md', 'magenta courtesy van'],
  ])('ingests %s under its bare name only, as the Markdown it contains', async (fileName, phrase) => {
    const res = await upload(Buffer.from(`# Loaners\n\nA ${phrase} runs hourly.\n`), fileName).expect(202);
    expect(res.body).toMatchObject({ title: 'passwd.md', mimeType: 'text/markdown' });
    const stored = async () => (await ctx.db.query('SELECT status, file_name FROM documents WHERE id = $1', [res.body.id])).rows[0];
    await waitFor(`${fileName} to be ready`, async () => (await stored()).status === 'ready', 20_000);
    expect((await stored()).file_name).toBe('passwd.md');
    expect((await search(phrase)).body.items[0].documentId).toBe(res.body.id);
  });
});
