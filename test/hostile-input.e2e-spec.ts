import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createApiApp } from '../apps/api/src/create-api-app';
import { STRONG_PASSWORD, Session, addUser, bearer, registerDealership, uniqueEmail } from './support/auth-helpers';
import { TestContext } from './support/test-context';

const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

/**
 * The inputs that once answered 500 (issue 16): each is a 4xx envelope now, refused in one place
 * (input hygiene, body depth, the cursor decoder, date bounds, the media-type check).
 */
describe('hostile input', () => {
  let ctx: TestContext;
  let api: INestApplication;
  let owner: Session;
  let staff: Session;
  let apiKey: string;

  beforeAll(async () => {
    ctx = await TestContext.create();
    api = await createApiApp(ctx.config({ RATE_LIMIT_USER_PER_MINUTE: '10000', RATE_LIMIT_USER_PER_SECOND: '1000', RATE_LIMIT_AUTH_PER_MINUTE: '1000', RATE_LIMIT_ANONYMOUS_PER_MINUTE: '1000' }));
    await api.init();
    owner = await registerDealership(api, 'Hostile Motors');
    staff = await addUser(api, owner, 'staff');
    apiKey = (await http().post('/api/v1/api-keys').set(bearer(owner.accessToken)).send({ name: 'fuzz' }).expect(201)).body.key;
  });

  afterAll(async () => {
    await api?.close();
    await ctx?.dispose();
  });

  const http = () => request(api.getHttpServer());
  const json = (method: 'post' | 'patch', path: string, raw: string, token = owner.accessToken) =>
    http()[method](path).set(bearer(token)).set('Content-Type', 'application/json').send(raw);

  describe('NUL characters and lone surrogates', () => {
    it.each([
      ['conversation title', 'post', '/api/v1/conversations', { title: 'a\u0000b' }, 'title'],
      ['search query', 'post', '/api/v1/search', { query: 'war\u0000ranty' }, 'query'],
      ['API key name', 'post', '/api/v1/api-keys', { name: '\u0000' }, 'name'],
      ['user name', 'post', '/api/v1/users', { email: uniqueEmail(), name: 'x\u0000', role: 'staff', password: STRONG_PASSWORD }, 'name'],
      ['lone high surrogate in a title', 'post', '/api/v1/conversations', { title: 'a\ud800b' }, 'title'],
      ['lone low surrogate in a title', 'post', '/api/v1/conversations', { title: '\udc00' }, 'title'],
    ])('refuses a %s with 422 naming the field', async (_name, method, path, body, field) => {
      const res = await json(method as 'post', path, JSON.stringify(body));
      expect(res.status).toBe(422);
      expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: [expect.objectContaining({ field })] });
    });

    it('keeps a paired surrogate (an emoji) as ordinary text', async () => {
      const res = await json('post', '/api/v1/conversations', JSON.stringify({ title: 'Deal 🚗' })).expect(201);
      expect(res.body.title).toBe('Deal 🚗');
    });

    it('refuses nested fields with their path', async () => {
      const res = await http()
        .post('/v1/chat/completions')
        .set(bearer(apiKey))
        .send({ model: 'showroom-assistant', messages: [{ role: 'user', content: 'hi\u0000' }] });
      // OpenAI's error shape on /v1 (it has no 422: an invalid body is its 400), with the field named.
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ type: 'invalid_request_error', param: 'messages[0].content' });
    });

    it.each(['register', 'login'])('refuses a lone-surrogate email on %s with 422, anonymously', async (route) => {
      const body = route === 'register' ? { dealershipName: 'x', name: 'x', email: '\ud800', password: STRONG_PASSWORD } : { email: '\ud800', password: 'x' };
      const res = await http().post(`/api/v1/auth/${route}`).send(body);
      expect(res.status).toBe(422);
      expect(res.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'email' })]));
    });

    it('refuses NUL in a query string and in an upload title', async () => {
      await http().get('/api/v1/usage?from=2026-01-01%00').set(bearer(owner.accessToken)).expect(422);
      const res = await http().post('/api/v1/documents').set(bearer(owner.accessToken)).field('title', 'a\u0000b').attach('file', Buffer.from('hello'), 'a.txt');
      expect(res.status).toBe(422);
      expect(res.body.error.details).toEqual([expect.objectContaining({ field: 'title' })]);
    });
  });

  describe('body depth and size', () => {
    it.each([40, 2_000, 5_000, 100_000])('answers a body nested %i levels with 400 BODY_TOO_DEEP, also on login', async (depth) => {
      for (const path of ['/api/v1/auth/login', '/api/v1/auth/refresh', '/api/v1/conversations']) {
        const res = await json('post', path, nested(depth));
        expect(res.status).toBe(400);
        expect(res.body.error.code).toBe('BODY_TOO_DEEP');
      }
    });

    it('accepts ordinary nesting', async () => {
      await json('post', '/api/v1/conversations', nested(3)).expect(422); // unknown field "a", not depth
    });

    it('answers a body over HTTP_BODY_LIMIT_BYTES with 413 before parsing it', async () => {
      const res = await json('post', '/api/v1/auth/login', JSON.stringify({ email: 'a'.repeat(2 * 1024 * 1024), password: 'x' }));
      expect(res.status).toBe(413);
      expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    });
  });

  describe('refusals before routing', () => {
    it("answers a URL over Node's header limit with a 431 envelope, not a bare status line", async () => {
      const res = await http().get(`/api/v1/conversations?q=${'a'.repeat(20_000)}`).set(bearer(owner.accessToken));
      expect(res.status).toBe(431);
      expect(res.body.error).toMatchObject({ code: 'HEADERS_TOO_LARGE', requestId: expect.any(String), details: [] });
    });

    it("keeps OpenAI's error shape on /v1 for unparsable JSON and undecodable paths", async () => {
      const malformed = await http().post('/v1/chat/completions').set(bearer(apiKey)).set('Content-Type', 'application/json').send('{"model":');
      expect(malformed.status).toBe(400);
      expect(malformed.body.error).toMatchObject({ type: 'invalid_request_error', message: expect.any(String) });
      const undecodable = await http().get('/v1/models/%ED%A0%80').set(bearer(apiKey));
      expect(undecodable.status).toBe(400);
      expect(undecodable.body.error).toMatchObject({ type: 'invalid_request_error' });
    });
  });

  describe('prototype keys', () => {
    it.each(['__proto__', 'constructor', 'prototype'])('refuses the unknown field %s like any other', async (key) => {
      const res = await json('post', '/api/v1/conversations', `{"title":"t","${key}":{"admin":true}}`);
      expect(res.status).toBe(422);
      expect(res.body.error.details).toEqual([{ field: key, message: `property ${key} should not exist` }]);
      const login = await http().post('/api/v1/auth/login').set('Content-Type', 'application/json').send(`{"email":"a@b.example","password":"x","${key}":1}`);
      expect(login.status).toBe(422);
    });
  });

  describe('cursors', () => {
    const lists = ['/api/v1/documents', '/api/v1/conversations', '/api/v1/users'];
    it.each([
      ['an id that is not a UUID', { createdAt: '2024-01-01T00:00:00Z', id: 'x' }],
      ['a time Postgres cannot store', { createdAt: '-271821-04-20T00:00:00.000Z', id: '00000000-0000-4000-8000-000000000000' }],
      ['a time that is not ISO 8601', { createdAt: '1 Jan 2024', id: '00000000-0000-4000-8000-000000000000' }],
      ['null', null],
    ])('answers a cursor with %s with 400 INVALID_CURSOR on every list', async (_name, position) => {
      for (const path of lists) {
        const res = await http().get(path).query({ cursor: cursorOf(position) }).set(bearer(owner.accessToken));
        expect(res.status).toBe(400);
        expect(res.body.error.code).toBe('INVALID_CURSOR');
      }
    });

    it('still pages with the cursors it hands out', async () => {
      for (let i = 0; i < 3; i += 1) await json('post', '/api/v1/conversations', JSON.stringify({ title: `c${i}` }), staff.accessToken).expect(201);
      const first = await http().get('/api/v1/conversations?limit=2').set(bearer(staff.accessToken)).expect(200);
      const second = await http().get('/api/v1/conversations').query({ limit: 2, cursor: first.body.nextCursor }).set(bearer(staff.accessToken)).expect(200);
      expect(second.body.items).toHaveLength(1);
    });
  });

  describe('date bounds', () => {
    it.each(['to=0000-01-01', 'from=0000-01-01', 'to=10000-01-01', 'from=1969-12-31'])('answers usage ?%s with 422', async (query) => {
      const res = await http().get(`/api/v1/usage?${query}`).set(bearer(owner.accessToken));
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    });
  });

  describe('media types', () => {
    it('answers text/plain and form bodies on a JSON route with 415 and creates nothing', async () => {
      const before = (await ctx.db.query('SELECT count(*)::int AS n FROM conversations')).rows[0].n;
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
        const res = await http().post('/api/v1/conversations').set(bearer(owner.accessToken)).set('Content-Type', type).send('{"title":"tp"}');
        expect(res.status).toBe(415);
        expect(res.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      }
      expect((await ctx.db.query('SELECT count(*)::int AS n FROM conversations')).rows[0].n).toBe(before);
    });

    it('answers JSON on the multipart upload route with 415', async () => {
      const res = await json('post', '/api/v1/documents', '{"title":"x"}');
      expect(res.status).toBe(415);
    });

    it('checks credentials and roles before the media type: 401 and 403 come first', async () => {
      const anonymous = await http().post('/api/v1/conversations').set('Content-Type', 'text/plain').send('{"title":"tp"}');
      expect(anonymous.status).toBe(401);
      const forbidden = await http().post('/api/v1/users').set(bearer(staff.accessToken)).set('Content-Type', 'text/plain').send('{}');
      expect(forbidden.status).toBe(403);
    });

    it('accepts JSON with a charset and vendor +json types, and bodiless POSTs', async () => {
      await http().post('/api/v1/conversations').set(bearer(owner.accessToken)).set('Content-Type', 'application/json; charset=utf-8').send('{}').expect(201);
      await http().post('/api/v1/conversations').set(bearer(owner.accessToken)).set('Content-Type', 'application/vnd.api+json').send('{}').expect(201);
      await http().post('/api/v1/conversations').set(bearer(owner.accessToken)).expect(201);
    });
  });
});
