import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createApiApp } from '../apps/api/src/create-api-app';
import { STRONG_PASSWORD, Session, addUser, bearer, registerDealership, uniqueEmail } from './support/auth-helpers';
import { TestContext } from './support/test-context';

const count = async (ctx: TestContext, sql: string, params: unknown[] = []) => (await ctx.db.query(sql, params)).rows[0].n as number;

/** Idempotency-Key on creating POSTs, Stripe's semantics, over two api instances sharing Redis. */
describe('Idempotency-Key', () => {
  let ctx: TestContext;
  let a: INestApplication;
  let b: INestApplication;
  let owner: Session;
  let staff: Session;

  beforeAll(async () => {
    ctx = await TestContext.create();
    const config = ctx.config({ RATE_LIMIT_USER_PER_MINUTE: '10000', RATE_LIMIT_USER_PER_SECOND: '1000', RATE_LIMIT_AUTH_PER_MINUTE: '1000' });
    a = await createApiApp(config);
    b = await createApiApp(config);
    await a.init();
    await b.init();
    owner = await registerDealership(a, 'Idem Motors');
    staff = await addUser(a, owner, 'staff');
  });

  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await ctx?.dispose();
  });

  const post = (app: INestApplication, path: string, session: Session, key: string | undefined, body: object) => {
    const req = request(app.getHttpServer()).post(path).set(bearer(session.accessToken));
    return (key === undefined ? req : req.set('Idempotency-Key', key)).send(body);
  };

  it('replays the first response (status and body) for the same key and body, on any pod, and creates once', async () => {
    const first = await post(a, '/api/v1/conversations', staff, 'conv-1', { title: 'Trade-in' }).expect(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const again = await post(b, '/api/v1/conversations', staff, 'conv-1', { title: 'Trade-in' }).expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await count(ctx, `SELECT count(*)::int AS n FROM conversations WHERE title = 'Trade-in'`)).toBe(1);
  });

  it('answers the same key with a different body 422 IDEMPOTENCY_KEY_REUSED', async () => {
    await post(a, '/api/v1/conversations', staff, 'conv-2', { title: 'One' }).expect(201);
    const reused = await post(b, '/api/v1/conversations', staff, 'conv-2', { title: 'Two' }).expect(422);
    expect(reused.body.error).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', details: [{ field: 'Idempotency-Key' }] });
  });

  it("keeps one principal's keys apart from another's", async () => {
    const mine = await post(a, '/api/v1/conversations', staff, 'shared-key', { title: 'Mine' }).expect(201);
    const theirs = await post(a, '/api/v1/conversations', owner, 'shared-key', { title: 'Mine' }).expect(201);
    expect(theirs.body.id).not.toBe(mine.body.id);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
  });

  it('answers 409 with Retry-After while the first request is still running on another pod', async () => {
    const body = { email: uniqueEmail('twin'), name: 'Twin', role: 'staff', password: STRONG_PASSWORD };
    // argon2 hashing keeps the first request busy for a while; the second arrives meanwhile.
    const [first, second] = await Promise.all([post(a, '/api/v1/users', owner, 'user-1', body), post(b, '/api/v1/users', owner, 'user-1', body)]);
    const statuses = [first.status, second.status].sort();
    expect(statuses).toEqual([201, 409]);
    const busy = first.status === 409 ? first : second;
    expect(busy.body.error.code).toBe('IDEMPOTENCY_KEY_IN_USE');
    expect(Number(busy.headers['retry-after'])).toBeGreaterThan(0);
    const replay = await post(b, '/api/v1/users', owner, 'user-1', body).expect(201);
    expect(replay.body.id).toBe((first.status === 201 ? first : second).body.id);
    expect(await count(ctx, 'SELECT count(*)::int AS n FROM users WHERE email = $1', [body.email])).toBe(1);
  });

  it('releases the key of a failed request, so the corrected retry runs', async () => {
    await post(a, '/api/v1/api-keys', owner, 'key-1', { name: '' }).expect(422);
    const created = await post(a, '/api/v1/api-keys', owner, 'key-1', { name: '' }).expect(422);
    expect(created.body.error.code).toBe('VALIDATION_FAILED'); // ran again, not replayed
    const key = await post(a, '/api/v1/api-keys', owner, 'key-2', { name: 'CRM' }).expect(201);
    const replay = await post(b, '/api/v1/api-keys', owner, 'key-2', { name: 'CRM' }).expect(201);
    expect(replay.body).toEqual(key.body);
    expect(await count(ctx, `SELECT count(*)::int AS n FROM api_keys WHERE name = 'CRM'`)).toBe(1);
  });

  it('never produces an answer twice: a JSON retry replays it, a streamed one is refused with 409', async () => {
    const conversation = (await post(a, '/api/v1/conversations', staff, undefined, {}).expect(201)).body.id as string;
    const path = `/api/v1/conversations/${conversation}/messages`;
    const messages = () => count(ctx, 'SELECT count(*)::int AS n FROM messages WHERE conversation_id = $1', [conversation]);
    const first = await post(a, path, staff, 'ask-1', { content: 'What is the warranty?' }).expect(201);
    const replay = await post(b, path, staff, 'ask-1', { content: 'What is the warranty?' }).expect(201);
    expect(replay.body.assistantMessage.id).toBe(first.body.assistantMessage.id);
    expect(await messages()).toBe(2);

    const streamed = await post(a, path, staff, 'ask-2', { content: 'And the loaner car?' }).set('Accept', 'text/event-stream').expect(200);
    expect(streamed.text).toContain('event: done');
    const again = await post(b, path, staff, 'ask-2', { content: 'And the loaner car?' }).set('Accept', 'text/event-stream').expect(409);
    expect(again.body.error.code).toBe('IDEMPOTENCY_KEY_STREAMED');
    expect(await messages()).toBe(4);
  });

  it('covers uploads: the same file replays, another file under the same key is 422', async () => {
    const upload = (app: INestApplication, text: string) =>
      request(app.getHttpServer()).post('/api/v1/documents').set(bearer(owner.accessToken)).set('Idempotency-Key', 'doc-1').attach('file', Buffer.from(text), 'faq.txt');
    const first = await upload(a, 'Oil changes every 10,000 miles.').expect(202);
    const replay = await upload(b, 'Oil changes every 10,000 miles.').expect(202);
    expect(replay.body.id).toBe(first.body.id);
    await upload(b, 'A different file.').expect(422);
  });

  it('refuses a malformed key with 400 INVALID_IDEMPOTENCY_KEY', async () => {
    const res = await post(a, '/api/v1/conversations', staff, 'x'.repeat(256), {}).expect(400);
    expect(res.body.error.code).toBe('INVALID_IDEMPOTENCY_KEY');
  });

  it('documents the header on the creating operations', async () => {
    const doc = (await request(a.getHttpServer()).get('/docs-json').expect(200)).body;
    const header = (op: { parameters?: { in: string; name: string }[] }) => op.parameters?.some((p) => p.in === 'header' && p.name === 'Idempotency-Key');
    for (const path of ['/api/v1/conversations', '/api/v1/conversations/{id}/messages', '/api/v1/documents', '/api/v1/users', '/api/v1/api-keys']) {
      expect([path, header(doc.paths[path].post)]).toEqual([path, true]);
    }
  });
});
