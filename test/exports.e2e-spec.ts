import type { INestApplication } from '@nestjs/common';
import { Outbox } from '@showroom/core';
import { parse } from 'csv-parse/sync';
import mammoth from 'mammoth';
import request from 'supertest';
import { io, type Socket } from 'socket.io-client';
import { extractText, getDocumentProxy } from 'unpdf';
import { createApiApp } from '../apps/api/src/create-api-app';
import { createWorkerApp } from '../apps/worker/src/create-worker-app';
import { GenerateExportJob } from '../libs/chat/src/exports/exports.jobs';
import { Session, addUser, bearer, registerDealership } from './support/auth-helpers';
import { download, settledExport } from './support/export-helpers';
import { readSse } from './support/sse-client';
import { TestContext } from './support/test-context';
import { waitFor } from './support/wait-for';

const WARRANTY_MD = `# Warranty

## Powertrain

The powertrain warranty covers the engine and transmission for 5 years or 60,000 miles, whichever comes first.
`;
const DEALERSHIP = 'Ærø Motors Ελλάς';
const UNICODE_QUESTION = 'Čeština, Ελληνικά, Кириллица: do you sell snowmobiles?';
const FORMULA_QUESTION = '=HYPERLINK("http://evil.example","snowmobiles")';

async function pdfText(bytes: Buffer): Promise<string> {
  const { text } = await extractText(await getDocumentProxy(new Uint8Array(bytes)), { mergePages: true });
  return text.replace(/\s+/g, ' ');
}

/**
 * Conversation exports and reports end to end: the real api requests, the real worker renders
 * on the file-generation queue (through the outbox), Postgres holds rows and files, and each
 * file is read back with unpdf, mammoth and csv-parse.
 */
describe('exports and reports', () => {
  let ctx: TestContext;
  let api: INestApplication;
  let worker: INestApplication;
  let base: string;
  let owner: Session;
  let staff: Session;
  let otherStaff: Session;
  let stranger: Session;
  let conversationId: string;
  let citedAnswerId: string;

  const http = () => request(api.getHttpServer());
  const ask = async (session: Session, id: string, content: string) =>
    (await http().post(`/api/v1/conversations/${id}/messages`).set(bearer(session.accessToken)).send({ content }).expect(201)).body;
  const requestExport = (session: Session, id: string, format: string) => http().post(`/api/v1/conversations/${id}/exports`).set(bearer(session.accessToken)).send({ format });
  const exportReady = async (session: Session, id: string, format: string) => {
    const created = await requestExport(session, id, format).expect(202);
    const done = await settledExport(api, session, created.body.id);
    expect(done).toMatchObject({ status: 'ready', progress: 100, error: null });
    return done as unknown as { id: string; sizeBytes: number };
  };

  beforeAll(async () => {
    ctx = await TestContext.create();
    const config = ctx.config({
      RATE_LIMIT_USER_PER_MINUTE: '100000',
      RATE_LIMIT_USER_PER_SECOND: '100000',
      EXPORT_MAX_MESSAGES: '40',
      EXPORT_SWEEP_INTERVAL_MS: '1000',
      JOB_SCHEDULE_RESYNC_MS: '1000',
    });
    worker = await createWorkerApp(config);
    api = await createApiApp(config);
    await worker.init();
    await api.listen(0, '127.0.0.1');
    base = await api.getUrl();
    owner = await registerDealership(api, DEALERSHIP);
    staff = await addUser(api, owner, 'staff');
    otherStaff = await addUser(api, owner, 'staff');
    stranger = await registerDealership(api, 'Elsewhere Motors');

    const doc = await http().post('/api/v1/documents').set(bearer(owner.accessToken)).attach('file', Buffer.from(WARRANTY_MD), 'warranty.md').field('title', 'Warranty terms').expect(202);
    await waitFor('the warranty to be ready', async () => (await http().get(`/api/v1/documents/${doc.body.id}`).set(bearer(owner.accessToken))).body.status === 'ready', 20_000);

    conversationId = (await http().post('/api/v1/conversations').set(bearer(staff.accessToken)).send({ title: 'Powertrain / "warranty"' }).expect(201)).body.id;
    const cited = await ask(staff, conversationId, 'What does the powertrain warranty cover?');
    citedAnswerId = cited.assistantMessage.id;
    expect(cited.assistantMessage.citations.length).toBeGreaterThan(0);
    await ask(staff, conversationId, UNICODE_QUESTION);
    await ask(staff, conversationId, FORMULA_QUESTION);
  }, 120_000); // boot, an upload to ready and three answers; slow when the shared machine is busy

  afterAll(async () => {
    await Promise.all([api?.close(), worker?.close()]);
    await ctx?.dispose();
  });

  it('exports a conversation to PDF: 202 queued, then ready; the file holds dealership, title, participants, times, every message and numbered sources, in any script', async () => {
    const created = await requestExport(staff, conversationId, 'pdf').expect(202);
    expect(created.body).toEqual({
      id: expect.any(String),
      kind: 'conversation',
      format: 'pdf',
      status: 'queued',
      progress: 0,
      sizeBytes: null,
      expiresAt: expect.any(String),
      error: null,
      createdAt: expect.any(String),
      conversationId,
      from: null,
      to: null,
      requestedBy: staff.user.id,
    });
    const done = await settledExport(api, staff, created.body.id);
    expect(done).toMatchObject({ status: 'ready', progress: 100, sizeBytes: expect.any(Number) });
    // The TTL runs from when the file is ready.
    expect(Date.parse(done.expiresAt as string) - Date.now()).toBeGreaterThan(23 * 3_600_000);

    const file = await download(api, staff, created.body.id);
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toBe('application/pdf');
    expect(Number(file.headers['content-length'])).toBe(done.sizeBytes);
    expect(file.headers['cache-control']).toBe('private, no-store');
    // The title's slash and quotes never reach the header's file name.
    expect(file.headers['content-disposition']).toMatch(/^attachment; filename="Powertrain warranty \d{4}-\d{2}-\d{2}\.pdf"$/);
    const text = await pdfText(file.bytes);
    for (const part of [DEALERSHIP, 'Conversation: Powertrain / "warranty"', 'Participants', `${staff.user.name} (staff), Assistant`, 'UTC', 'What does the powertrain warranty cover?', UNICODE_QUESTION, 'Sources', '[1] Warranty terms']) {
      expect(text).toContain(part);
    }
    expect(text).toContain('snowmobiles');
  });

  it('exports the same conversation to DOCX with real headings', async () => {
    const done = await exportReady(staff, conversationId, 'docx');
    const file = await download(api, staff, done.id);
    expect(file.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    const html = (await mammoth.convertToHtml({ buffer: file.bytes })).value;
    expect(html).toContain('<h1>Conversation: Powertrain / "warranty"</h1>');
    expect(html).toMatch(/<h2>A staff · \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC<\/h2>/);
    expect(html).toMatch(/<h2>Assistant · /);
    expect(html).toContain('<h3>Sources</h3>');
    expect(html).toContain(DEALERSHIP);
    expect(html).toContain(UNICODE_QUESTION);
  });

  it('exports to CSV: one row per message, formulas neutralised', async () => {
    const done = await exportReady(staff, conversationId, 'csv');
    const file = await download(api, staff, done.id);
    expect(file.headers['content-type']).toBe('text/csv; charset=utf-8');
    const rows = parse(file.bytes, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(6);
    expect(rows.map((r) => r.role)).toEqual(['user', 'assistant', 'user', 'assistant', 'user', 'assistant']);
    expect(rows.map((r) => r.message_number)).toEqual(['1', '2', '3', '4', '5', '6']);
    expect(rows[2].content).toBe(UNICODE_QUESTION);
    expect(rows[4].content).toBe(`'${FORMULA_QUESTION}`);
    expect(rows[1].sources).toMatch(/^\[1\] Warranty terms/);
  });

  it('streams progress over SSE until the export is ready', async () => {
    const created = await requestExport(staff, conversationId, 'pdf').expect(202);
    const stream = await readSse(`${base}/api/v1/exports/${created.body.id}/events`, { headers: bearer(staff.accessToken) });
    expect(stream.status).toBe(200);
    const statuses = stream.events.map((e) => (e.data as { status: string }).status);
    expect(stream.events.every((e) => e.event === 'progress')).toBe(true);
    expect(statuses.at(-1)).toBe('ready');
    const progress = stream.events.map((e) => (e.data as { progress: number }).progress);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(stream.events.at(-1)!.data).toMatchObject({ exportId: created.body.id, progress: 100, sizeBytes: expect.any(Number) });
  });

  it('pushes export.progress on the realtime gateway: to the requester and the dealership\'s admins, nobody else', async () => {
    const connect = async (session: Session) => {
      const socket: Socket = io(base, { path: '/api/v1/ws', transports: ['websocket'], auth: { token: session.accessToken }, reconnection: false, forceNew: true });
      const received: { exportId: string; status: string; progress: number }[] = [];
      socket.on('export.progress', (event) => received.push(event));
      await new Promise<void>((resolve, reject) => socket.once('connect', () => resolve()).once('connect_error', reject));
      return { socket, received, ack: (await socket.timeout(10_000).emitWithAck('exports.subscribe', {})) as Record<string, unknown> };
    };
    const mine = await connect(staff);
    const admin = await connect(owner);
    const colleague = await connect(otherStaff);
    const outsider = await connect(stranger);
    try {
      expect(mine.ack).toMatchObject({ ok: true, subscribed: true, scope: 'mine' });
      expect(admin.ack).toMatchObject({ ok: true, subscribed: true, scope: 'dealership' });
      const created = await requestExport(staff, conversationId, 'docx').expect(202);
      await waitFor('the requester to see it ready', () => mine.received.some((e) => e.exportId === created.body.id && e.status === 'ready'));
      await waitFor('the owner to see it ready', () => admin.received.some((e) => e.exportId === created.body.id && e.status === 'ready'));
      expect(mine.received.filter((e) => e.exportId === created.body.id).map((e) => e.status)).toContain('processing');
      expect(colleague.received.filter((e) => e.exportId === created.body.id)).toEqual([]);
      expect(outsider.received).toEqual([]);
    } finally {
      for (const { socket } of [mine, admin, colleague, outsider]) socket.disconnect();
    }
  });

  it('a retried request with the same Idempotency-Key gets the same export, not a second one', async () => {
    const send = () => http().post(`/api/v1/conversations/${conversationId}/exports`).set(bearer(staff.accessToken)).set('Idempotency-Key', 'export-retry-1').send({ format: 'csv' }).expect(202);
    const first = await send();
    const again = await send();
    expect(again.body.id).toBe(first.body.id);
    expect((await ctx.db.query('SELECT count(*)::int AS n FROM file_exports WHERE id = $1', [first.body.id])).rows[0].n).toBe(1);
    await settledExport(api, staff, first.body.id);
  });

  it('is safe to run twice: a duplicate job for a ready export changes nothing', async () => {
    const done = await exportReady(staff, conversationId, 'csv');
    const before = (await ctx.db.query('SELECT completed_at, size_bytes FROM file_exports WHERE id = $1', [done.id])).rows[0];
    const outbox = worker.get(Outbox);
    const jobId = await outbox.transaction((tx) => tx.enqueue(GenerateExportJob, { dealershipId: staff.dealership.id, exportId: done.id }));
    await waitFor('the duplicate job to settle', async () => (await ctx.db.query('SELECT settled_at FROM outbox_messages WHERE id = $1', [jobId])).rows[0]?.settled_at);
    expect((await ctx.db.query('SELECT completed_at, size_bytes FROM file_exports WHERE id = $1', [done.id])).rows[0]).toEqual(before);
    expect((await ctx.db.query('SELECT count(*)::int AS n FROM blobs WHERE id = $1', [done.id])).rows[0].n).toBe(1);
  });

  describe('who sees what', () => {
    let staffExport: string;
    beforeAll(async () => {
      staffExport = (await exportReady(staff, conversationId, 'csv')).id;
    });

    it('staff cannot export or see another staff member\'s conversation or exports (404)', async () => {
      const res = await requestExport(otherStaff, conversationId, 'pdf').expect(404);
      expect(res.body.error.code).toBe('CONVERSATION_NOT_FOUND');
      for (const path of [`/api/v1/exports/${staffExport}`, `/api/v1/exports/${staffExport}/download`, `/api/v1/exports/${staffExport}/events`]) {
        const denied = await http().get(path).set(bearer(otherStaff.accessToken)).expect(404);
        expect(denied.body.error.code).toBe('EXPORT_NOT_FOUND');
      }
      await http().delete(`/api/v1/exports/${staffExport}`).set(bearer(otherStaff.accessToken)).expect(404);
      expect((await http().get('/api/v1/exports').set(bearer(otherStaff.accessToken)).expect(200)).body.items).toEqual([]);
      await http().get('/api/v1/exports?scope=dealership').set(bearer(otherStaff.accessToken)).expect(403);
    });

    it('owners export, list and download any conversation of their dealership', async () => {
      const done = await exportReady(owner, conversationId, 'csv');
      const mine = await http().get('/api/v1/exports').set(bearer(owner.accessToken)).expect(200);
      expect(mine.body.items.map((e: { id: string }) => e.id)).toEqual([done.id]);
      const all = await http().get('/api/v1/exports?scope=dealership&limit=2').set(bearer(owner.accessToken)).expect(200);
      expect(all.body.items).toHaveLength(2);
      expect(all.body.nextCursor).toEqual(expect.any(String));
      const next = await http().get(`/api/v1/exports?scope=dealership&cursor=${all.body.nextCursor}`).set(bearer(owner.accessToken)).expect(200);
      const ids = [...all.body.items, ...next.body.items].map((e: { id: string }) => e.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toContain(staffExport);
      expect((await download(api, owner, staffExport)).status).toBe(200);
    });

    it('another dealership gets 404 on every export endpoint', async () => {
      const create = await requestExport(stranger, conversationId, 'pdf').expect(404);
      expect(create.body.error).toMatchObject({ code: 'CONVERSATION_NOT_FOUND', requestId: expect.any(String) });
      for (const path of [`/api/v1/exports/${staffExport}`, `/api/v1/exports/${staffExport}/download`, `/api/v1/exports/${staffExport}/events`]) {
        expect((await http().get(path).set(bearer(stranger.accessToken)).expect(404)).body.error.code).toBe('EXPORT_NOT_FOUND');
      }
      await http().delete(`/api/v1/exports/${staffExport}`).set(bearer(stranger.accessToken)).expect(404);
      expect((await http().get('/api/v1/exports?scope=dealership').set(bearer(stranger.accessToken)).expect(200)).body.items).toEqual([]);
      expect((await download(api, staff, staffExport)).status).toBe(200); // still there for its owner
    });

    it('re-checks access at download: an admin demoted to staff no longer gets the report they asked for', async () => {
      const admin = await addUser(api, owner, 'admin');
      const created = await http().post('/api/v1/reports').set(bearer(admin.accessToken)).send({ kind: 'usage', format: 'csv' }).expect(202);
      await settledExport(api, admin, created.body.id);
      expect((await download(api, admin, created.body.id)).status).toBe(200);
      await http().patch(`/api/v1/users/${admin.user.id}`).set(bearer(owner.accessToken)).send({ role: 'staff' }).expect(200);
      expect((await download(api, admin, created.body.id)).status).toBe(404);
      expect((await download(api, owner, created.body.id)).status).toBe(200);
    });

    it('deleting an export removes the row and its file', async () => {
      const own = (await http().post('/api/v1/conversations').set(bearer(otherStaff.accessToken)).send({}).expect(201)).body.id;
      const done = await exportReady(otherStaff, own, 'csv');
      expect((await ctx.db.query('SELECT count(*)::int AS n FROM blobs WHERE id = $1', [done.id])).rows[0].n).toBe(1);
      await http().delete(`/api/v1/exports/${done.id}`).set(bearer(otherStaff.accessToken)).expect(204);
      await http().get(`/api/v1/exports/${done.id}`).set(bearer(otherStaff.accessToken)).expect(404);
      expect((await ctx.db.query('SELECT count(*)::int AS n FROM blobs WHERE id = $1', [done.id])).rows[0].n).toBe(0);
    });
  });

  describe('bad requests', () => {
    it('refuses unknown formats, unknown fields, API keys and oversize conversations with the envelope', async () => {
      const bad = await requestExport(staff, conversationId, 'xls').expect(422);
      expect(bad.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: [expect.objectContaining({ field: 'format' })] });
      await http().post(`/api/v1/conversations/${conversationId}/exports`).set(bearer(staff.accessToken)).send({ format: 'pdf', dealershipId: stranger.dealership.id }).expect(422);
      await http().post('/api/v1/conversations/not-a-uuid/exports').set(bearer(staff.accessToken)).send({ format: 'pdf' }).expect(400);
      await http().get('/api/v1/exports/00000000-0000-4000-8000-000000000000').set(bearer(staff.accessToken)).expect(404);

      const key = await http().post('/api/v1/api-keys').set(bearer(owner.accessToken)).send({ name: 'integration' }).expect(201);
      await http().get('/api/v1/exports').set(bearer(key.body.key)).expect(403);

      // EXPORT_MAX_MESSAGES is 40 in this suite.
      const long = (await http().post('/api/v1/conversations').set(bearer(staff.accessToken)).send({ title: 'long' }).expect(201)).body.id;
      await ctx.db.query(
        `INSERT INTO messages (id, dealership_id, conversation_id, role, content, status)
         SELECT gen_random_uuid(), $1, $2, 'user', 'message ' || n, 'complete' FROM generate_series(1, 41) AS n`,
        [staff.dealership.id, long],
      );
      const tooLong = await requestExport(staff, long, 'pdf').expect(422);
      expect(tooLong.body.error).toMatchObject({ code: 'EXPORT_TOO_LARGE', message: expect.stringContaining('at most 40') });
      const notReady = await requestExport(staff, conversationId, 'pdf').expect(202);
      const early = await download(api, staff, notReady.body.id);
      if (early.status !== 200) expect(JSON.parse(early.text()).error.code).toBe('EXPORT_NOT_READY');
      await settledExport(api, staff, notReady.body.id);
    });
  });

  describe('reports', () => {
    beforeAll(async () => {
      // The same declined question again, worded with other case and spacing: one group of two.
      const again = (await http().post('/api/v1/conversations').set(bearer(otherStaff.accessToken)).send({}).expect(201)).body.id;
      await ask(otherStaff, again, `  ${UNICODE_QUESTION.toUpperCase()}  `);
      await http().post(`/api/v1/messages/${citedAnswerId}/feedback`).set(bearer(owner.accessToken)).send({ rating: 'down', comment: 'Missing the hybrid battery terms' }).expect(200);
    });

    const report = (session: Session, body: Record<string, unknown>) => http().post('/api/v1/reports').set(bearer(session.accessToken)).send(body);

    it('are for owners and admins only, with validated kinds and ranges', async () => {
      await report(staff, { kind: 'usage', format: 'csv' }).expect(403);
      expect((await report(owner, { kind: 'sales', format: 'csv' }).expect(422)).body.error.details[0].field).toBe('kind');
      expect((await report(owner, { kind: 'usage', format: 'csv', from: '2026-02-30' }).expect(422)).body.error.details[0].field).toBe('from');
      expect((await report(owner, { kind: 'usage', format: 'csv', from: '2026-03-02', to: '2026-03-01' }).expect(422)).body.error.code).toBe('VALIDATION_FAILED');
    });

    it('knowledge-gaps lists declined and thumbs-down questions, grouped and counted', async () => {
      const created = await report(owner, { kind: 'knowledge-gaps', format: 'csv' }).expect(202);
      expect(created.body).toMatchObject({ kind: 'knowledge-gaps', format: 'csv', status: 'queued', from: expect.any(String), to: expect.any(String), conversationId: null });
      expect(await settledExport(api, owner, created.body.id)).toMatchObject({ status: 'ready' });
      const rows = parse((await download(api, owner, created.body.id)).bytes, { bom: true, columns: true }) as Record<string, string>[];
      const unicode = rows.find((r) => r.question.trim().toLowerCase() === UNICODE_QUESTION.toLowerCase());
      expect(unicode).toMatchObject({ times_asked: '2', declined: '2', thumbs_down: '0' });
      // The newest wording is the example shown.
      expect(unicode!.question).toBe(`  ${UNICODE_QUESTION.toUpperCase()}  `);
      expect(rows.find((r) => r.question === 'What does the powertrain warranty cover?')).toMatchObject({ times_asked: '1', thumbs_down: '1', latest_comment: 'Missing the hybrid battery terms' });
      expect(rows[0].times_asked).toBe('2'); // most frequent first
      expect(rows.find((r) => r.question === `'${FORMULA_QUESTION}`)).toBeDefined(); // neutralised
      expect(staff.dealership.id).toBe(owner.dealership.id);
    });

    it('feedback as PDF and usage as DOCX (with the exports made) render their content', async () => {
      const feedback = await report(owner, { kind: 'feedback', format: 'pdf' }).expect(202);
      const usage = await report(owner, { kind: 'usage', format: 'docx' }).expect(202);
      expect(await settledExport(api, owner, feedback.body.id)).toMatchObject({ status: 'ready' });
      expect(await settledExport(api, owner, usage.body.id)).toMatchObject({ status: 'ready' });
      const feedbackText = await pdfText((await download(api, owner, feedback.body.id)).bytes);
      expect(feedbackText).toContain('Answer feedback report');
      expect(feedbackText).toContain('Thumbs down');
      expect(feedbackText).toContain('Missing the hybrid battery terms');
      const usageHtml = (await mammoth.convertToHtml({ buffer: (await download(api, owner, usage.body.id)).bytes })).value;
      expect(usageHtml).toContain('<h2>Answers by day and model</h2>');
      expect(usageHtml).toContain('local-extractive');
      expect(usageHtml).toContain('<h2>Exports and reports</h2>');
      expect(usageHtml).toMatch(/<td><p>conversation<\/p><\/td><td><p>pdf<\/p><\/td>/);
    });

    it('admins see exports in GET /usage, per kind and format', async () => {
      const usage = await http().get('/api/v1/usage').set(bearer(owner.accessToken)).expect(200);
      const pdf = usage.body.exports.items.find((i: { kind: string; format: string }) => i.kind === 'conversation' && i.format === 'pdf');
      expect(pdf).toMatchObject({ requested: expect.any(Number), ready: expect.any(Number), failed: 0, bytes: expect.any(Number) });
      expect(pdf.ready).toBeGreaterThanOrEqual(2);
      expect(pdf.bytes).toBeGreaterThan(1000);
      const { rows } = await ctx.db.query(`SELECT count(*)::int AS n FROM file_exports WHERE dealership_id = $1`, [owner.dealership.id]);
      expect(usage.body.exports.totals.requested).toBe(rows[0].n);
      expect((await http().get('/api/v1/usage').set(bearer(stranger.accessToken)).expect(200)).body.exports).toEqual({ items: [], totals: { requested: 0, ready: 0, failed: 0, bytes: 0 } });
    });

    it('a staff member cannot see an owner\'s report', async () => {
      const created = await report(owner, { kind: 'usage', format: 'csv' }).expect(202);
      await http().get(`/api/v1/exports/${created.body.id}`).set(bearer(staff.accessToken)).expect(404);
      await http().get(`/api/v1/exports/${created.body.id}`).set(bearer(stranger.accessToken)).expect(404);
      await settledExport(api, owner, created.body.id);
    });
  });

  describe('expiry and quotas', () => {
    it('the maintenance sweep deletes expired files and marks the rows expired; download is then 410', async () => {
      const done = await exportReady(staff, conversationId, 'csv');
      await ctx.db.query(`UPDATE file_exports SET expires_at = now() - interval '1 second' WHERE id = $1`, [done.id]);
      const expired = await waitFor('the sweep to expire the export', async () => {
        const res = await http().get(`/api/v1/exports/${done.id}`).set(bearer(staff.accessToken));
        return res.body.status === 'expired' ? res.body : undefined;
      }, 15_000);
      expect(expired.sizeBytes).toBe(done.sizeBytes);
      const gone = await download(api, staff, done.id);
      expect(gone.status).toBe(410);
      expect(JSON.parse(gone.text()).error.code).toBe('EXPORT_EXPIRED');
      expect((await ctx.db.query('SELECT count(*)::int AS n FROM blobs WHERE id = $1', [done.id])).rows[0].n).toBe(0);
    });

    it('deleting a conversation expires its exports (no copy outlives a deletion request)', async () => {
      const id = (await http().post('/api/v1/conversations').set(bearer(staff.accessToken)).send({ title: 'to forget' }).expect(201)).body.id;
      await ask(staff, id, 'What does the powertrain warranty cover?');
      const done = await exportReady(staff, id, 'pdf');
      await http().delete(`/api/v1/conversations/${id}`).set(bearer(staff.accessToken)).expect(204);
      await waitFor('the sweep to expire it', async () => (await ctx.db.query('SELECT status FROM file_exports WHERE id = $1', [done.id])).rows[0].status === 'expired', 15_000);
      expect((await ctx.db.query('SELECT count(*)::int AS n FROM blobs WHERE id = $1', [done.id])).rows[0].n).toBe(0);
    });

    it('answers 429 EXPORT_QUOTA_EXCEEDED past the exports per day or the bytes held', async () => {
      const quota = await registerDealership(api, 'Quota Motors');
      const id = (await http().post('/api/v1/conversations').set(bearer(quota.accessToken)).send({}).expect(201)).body.id;
      // 199 requests today already (the default limit is 200): one more is allowed, then none.
      await ctx.db.query(
        `INSERT INTO file_exports (id, dealership_id, requested_by, kind, format, conversation_id, status, expires_at)
         SELECT gen_random_uuid(), $1, $2, 'conversation', 'csv', $3, 'failed', now() + interval '1 day' FROM generate_series(1, 199)`,
        [quota.dealership.id, quota.user.id, id],
      );
      await requestExport(quota, id, 'csv').expect(202);
      const over = await requestExport(quota, id, 'csv').expect(429);
      expect(over.body.error).toMatchObject({ code: 'EXPORT_QUOTA_EXCEEDED', details: [{ field: 'quota', message: 'exports per day: 200' }] });
      await http().post('/api/v1/reports').set(bearer(quota.accessToken)).send({ kind: 'usage', format: 'csv' }).expect(429);
      // Yesterday's requests do not count; a dealership holding 1 GiB of files does.
      await ctx.db.query(`UPDATE file_exports SET created_at = now() - interval '2 days' WHERE dealership_id = $1`, [quota.dealership.id]);
      await ctx.db.query(`UPDATE file_exports SET status = 'ready', size_bytes = 1073741824 WHERE id = (SELECT id FROM file_exports WHERE dealership_id = $1 LIMIT 1)`, [quota.dealership.id]);
      const held = await requestExport(quota, id, 'csv').expect(429);
      expect(held.body.error.details).toEqual([{ field: 'quota', message: 'bytes held: 1073741824' }]);
      // Other dealerships are not affected.
      await requestExport(staff, conversationId, 'csv').expect(202);
    });
  });
});
