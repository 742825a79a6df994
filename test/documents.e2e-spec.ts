import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createApiApp } from '../apps/api/src/create-api-app';
import { createWorkerApp } from '../apps/worker/src/create-worker-app';
import { Session, addUser, bearer, registerDealership } from './support/auth-helpers';
import { TestContext } from './support/test-context';
import { waitFor } from './support/wait-for';
import { MINIMAL_DOCX_PARTS, makePdf, makeZip } from '../libs/rag/src/parsing/__fixtures__/make-test-files';

const WARRANTY_MD = `# Warranty

## Powertrain

The powertrain warranty covers the engine and transmission for 5 years or 60,000 miles, whichever comes first.

## Corrosion

Body panels are covered against rust-through for 7 years with unlimited mileage.
`;

/** Upload to ready: the real api accepts, the real worker ingests, Postgres holds the truth. */
describe('knowledge documents', () => {
  let ctx: TestContext;
  let api: INestApplication;
  let worker: INestApplication;
  let admin: Session;

  beforeAll(async () => {
    ctx = await TestContext.create();
    const config = ctx.config({ UPLOAD_MAX_BYTES: String(2 * 1024 * 1024), WORKER_QUEUES: 'ingestion,embeddings', RATE_LIMIT_USER_PER_MINUTE: '10000', RATE_LIMIT_USER_PER_SECOND: '1000' });
    worker = await createWorkerApp(config);
    api = await createApiApp(config);
    await Promise.all([worker.init(), api.init()]);
    admin = await registerDealership(api, 'Docs Motors');
  });

  afterAll(async () => {
    await Promise.all([api?.close(), worker?.close()]);
    await ctx?.dispose();
  });

  const http = () => request(api.getHttpServer());
  const upload = (session: Session, bytes: Buffer | string, fileName: string, title?: string) => {
    const req = http().post('/api/v1/documents').set(bearer(session.accessToken)).attach('file', Buffer.from(bytes), fileName);
    return title ? req.field('title', title) : req;
  };
  const rows = async (sql: string, params: unknown[]) => (await ctx.db.query(sql, params)).rows;

  it('accepts an upload with 202 queued, then the worker makes it ready with chunks', async () => {
    const res = await upload(admin, WARRANTY_MD, 'warranty.md', 'Warranty terms').expect(202);
    expect(res.body).toEqual({
      id: expect.any(String),
      title: 'Warranty terms',
      status: 'queued',
      progress: 0,
      mimeType: 'text/markdown',
      sizeBytes: Buffer.byteLength(WARRANTY_MD),
      chunkCount: 0,
      error: null,
      createdAt: expect.any(String),
    });
    const ready = await waitFor('the document to be ready', async () => {
      const doc = await http().get(`/api/v1/documents/${res.body.id}`).set(bearer(admin.accessToken)).expect(200);
      return doc.body.status === 'ready' ? doc.body : undefined;
    });
    expect(ready).toMatchObject({ progress: 100, error: null, chunkCount: expect.any(Number) });
    const chunks = await rows('SELECT heading_path, text FROM document_chunks WHERE document_id = $1 ORDER BY chunk_index', [res.body.id]);
    expect(chunks.length).toBe(ready.chunkCount);
    expect(chunks.map((c) => c.heading_path)).toEqual(expect.arrayContaining([['Warranty', 'Powertrain'], ['Warranty', 'Corrosion']]));
  });

  it('ingests a multi-page PDF keeping each chunk\'s page', async () => {
    const pdf = await makePdf([
      { heading: 'Price list', paragraphs: ['The base model costs 24,990 dollars before options.'] },
      { heading: 'Options', paragraphs: ['The winter package adds heated seats for 1,200 dollars.'] },
    ]);
    const res = await upload(admin, pdf, 'prices.pdf').expect(202);
    expect(res.body.mimeType).toBe('application/pdf');
    await waitFor('ready', async () => (await rows('SELECT status FROM documents WHERE id = $1', [res.body.id]))[0]?.status === 'ready');
    const chunks = await rows('SELECT page, text FROM document_chunks WHERE document_id = $1 ORDER BY chunk_index', [res.body.id]);
    expect(chunks.find((c) => c.text.includes('heated seats'))?.page).toBe(2);
    expect(chunks.find((c) => c.text.includes('24,990'))?.page).toBe(1);
  });

  it('fails an encrypted PDF and a Word zip bomb with readable reasons, and keeps working', async () => {
    const locked = await upload(admin, await makePdf([{ paragraphs: ['secret'] }], { userPassword: 'pw' }), 'locked.pdf').expect(202);
    const bomb = await makeZip([...MINIMAL_DOCX_PARTS, { name: 'word/document.xml', content: { zeroBytes: 256 * 1024 * 1024 } }]);
    const bombed = await upload(admin, bomb, 'brochure.docx').expect(202);
    const failed = async (id: string) => {
      const row = (await rows('SELECT status, error FROM documents WHERE id = $1', [id]))[0];
      return row?.status === 'failed' ? (row.error as string) : undefined;
    };
    expect(await waitFor('the encrypted PDF to fail', () => failed(locked.body.id))).toMatch(/password-protected/i);
    expect(await waitFor('the zip bomb to fail', () => failed(bombed.body.id))).toMatch(/unpacks to|limit/i);
    const after = await upload(admin, 'The worker is still here after hostile files.', 'alive.txt').expect(202);
    await waitFor('a normal document to be ready', async () => (await rows('SELECT status FROM documents WHERE id = $1', [after.body.id]))[0]?.status === 'ready');
  });

  it('streams progress as Server-Sent Events until the document is ready', async () => {
    const text = Array.from({ length: 30 }, (_, i) => `## Section ${i}\n\nParagraph ${i} about service plans and tyre storage.`).join('\n\n');
    const res = await upload(admin, `# Service plans\n\n${text}`, 'plans.md').expect(202);
    const stream = await http()
      .get(`/api/v1/documents/${res.body.id}/events`)
      .set(bearer(admin.accessToken))
      .buffer(true)
      .parse((response, done) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => done(null, body));
      })
      .expect(200);
    expect(stream.headers['content-type']).toContain('text/event-stream');
    const events = (stream.body as string)
      .split('\n\n')
      .filter((block) => block.startsWith('event: progress'))
      .map((block) => JSON.parse(block.split('\ndata: ')[1]) as { status: string; progress: number; chunkCount: number });
    expect(events.at(-1)).toMatchObject({ documentId: res.body.id, status: 'ready', progress: 100 });
    expect(events.at(-1)!.chunkCount).toBeGreaterThan(0);
    const progress = events.map((e) => e.progress);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);
    await http().get(`/api/v1/documents/${res.body.id}/events`).set(bearer((await registerDealership(api, 'Peeking Motors')).accessToken)).expect(404);
  });

  it('returns the existing document for the same bytes uploaded again', async () => {
    const bytes = 'Oil change every 10,000 miles or 12 months.';
    const first = await upload(admin, bytes, 'service.txt').expect(202);
    const again = await upload(admin, bytes, 'renamed.txt', 'Another title').expect(200);
    expect(again.body.id).toBe(first.body.id);
    expect((await rows('SELECT count(*)::int AS n FROM documents WHERE id = $1', [first.body.id]))[0].n).toBe(1);
  });

  it('refuses an executable renamed .pdf with 415, and stores nothing', async () => {
    const before = (await rows('SELECT count(*)::int AS n FROM blobs', []))[0].n;
    const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 0x90)]);
    const res = await upload(admin, exe, 'price-list.pdf').expect(415);
    expect(res.body.error.code).toBe('UNSUPPORTED_DOCUMENT_TYPE');
    expect((await rows('SELECT count(*)::int AS n FROM blobs', []))[0].n).toBe(before);
  });

  it('answers an empty file with 400 and a missing file with 400', async () => {
    expect((await upload(admin, Buffer.alloc(0), 'empty.txt').expect(400)).body.error.code).toBe('EMPTY_FILE');
    const missing = await http().post('/api/v1/documents').set(bearer(admin.accessToken)).field('title', 'no file').expect(400);
    expect(missing.body.error.code).toBe('FILE_REQUIRED');
  });

  it('answers a file over the limit with 413', async () => {
    const res = await upload(admin, 'x'.repeat(2 * 1024 * 1024 + 1), 'big.txt').expect(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('keeps a file name with path characters as a harmless display name', async () => {
    const res = await upload(admin, 'Financing: 3.9% APR for 36 months.', '../../etc/passwd').expect(202);
    expect(res.body.title).toBe('passwd');
    const row = (await rows('SELECT file_name FROM documents WHERE id = $1', [res.body.id]))[0];
    expect(row.file_name).toBe('passwd');
  });

  it('refuses uploads from staff with 403', async () => {
    const staff = await addUser(api, admin, 'staff');
    await upload(staff, 'staff notes here', 'notes.txt').expect(403);
    await http().get('/api/v1/documents').set(bearer(staff.accessToken)).expect(200);
  });

  it('deletes the document with its chunks and blob', async () => {
    const res = await upload(admin, '# Trade-in\n\nWe accept trade-ins of any make.', 'trade-in.md').expect(202);
    await waitFor('ready', async () => (await rows('SELECT status FROM documents WHERE id = $1', [res.body.id]))[0]?.status === 'ready');
    const blobId = (await rows('SELECT blob_id FROM documents WHERE id = $1', [res.body.id]))[0].blob_id;
    await http().delete(`/api/v1/documents/${res.body.id}`).set(bearer(admin.accessToken)).expect(204);
    expect(await rows('SELECT id FROM document_chunks WHERE document_id = $1', [res.body.id])).toEqual([]);
    expect(await rows('SELECT id FROM blobs WHERE id = $1', [blobId])).toEqual([]);
    await http().get(`/api/v1/documents/${res.body.id}`).set(bearer(admin.accessToken)).expect(404);
  });

  it('reindexes into a new generation while the current chunks stay searchable', async () => {
    const res = await upload(admin, '# Hours\n\nService is open 7am to 7pm on weekdays.\n\n# Parts\n\nParts counter closes at 5pm.', 'hours.md').expect(202);
    await waitFor('ready', async () => (await rows('SELECT status FROM documents WHERE id = $1', [res.body.id]))[0]?.status === 'ready');
    const before = await rows('SELECT id FROM document_chunks WHERE document_id = $1', [res.body.id]);

    const reindexed = await http().post(`/api/v1/documents/${res.body.id}/reindex`).set(bearer(admin.accessToken)).expect(202);
    expect(reindexed.body).toMatchObject({ id: res.body.id, status: 'queued', progress: 0 });
    // Until the swap, the old chunks answer; after it, the new ones: never none.
    const counts: number[] = [];
    await waitFor('the new generation to be ready', async () => {
      counts.push((await rows('SELECT count(*)::int AS n FROM document_chunks WHERE document_id = $1', [res.body.id]))[0].n);
      return (await rows('SELECT status FROM documents WHERE id = $1', [res.body.id]))[0].status === 'ready';
    });
    expect(Math.min(...counts)).toBeGreaterThan(0);
    const after = await rows('SELECT id, generation FROM document_chunks WHERE document_id = $1', [res.body.id]);
    expect(after).toHaveLength(before.length);
    expect(new Set(after.map((c) => c.generation))).toEqual(new Set([1]));
  });

  it('refuses to reindex a document that is still being processed, and another dealership\'s', async () => {
    const res = await upload(admin, 'Busy document text about loaner cars.', 'loaners.txt').expect(202);
    const busy = await http().post(`/api/v1/documents/${res.body.id}/reindex`).set(bearer(admin.accessToken));
    // The worker may already have finished this tiny file; then a reindex is accepted.
    expect([202, 409]).toContain(busy.status);
    if (busy.status === 409) expect(busy.body.error.code).toBe('DOCUMENT_BUSY');
    const other = await registerDealership(api, 'Reindex Intruder Motors');
    await http().post(`/api/v1/documents/${res.body.id}/reindex`).set(bearer(other.accessToken)).expect(404);
  });

  it('answers another dealership\'s document ids with 404 and lists only its own', async () => {
    const mine = await upload(admin, 'Alpha only: free car wash with every service.', 'perks.txt').expect(202);
    const other = await registerDealership(api, 'Other Motors');
    await http().get(`/api/v1/documents/${mine.body.id}`).set(bearer(other.accessToken)).expect(404);
    await http().delete(`/api/v1/documents/${mine.body.id}`).set(bearer(other.accessToken)).expect(404);
    const list = await http().get('/api/v1/documents').set(bearer(other.accessToken)).expect(200);
    expect(list.body).toEqual({ items: [], nextCursor: null });
    expect((await rows('SELECT count(*)::int AS n FROM documents WHERE id = $1', [mine.body.id]))[0].n).toBe(1);
  });
});
