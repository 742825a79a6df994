import type { INestApplication } from '@nestjs/common';
import { io } from 'socket.io-client';
import request from 'supertest';
import { createApiApp } from '../apps/api/src/create-api-app';
import { STRONG_PASSWORD, bearer, registerDealership, uniqueEmail } from './support/auth-helpers';
import { TestContext } from './support/test-context';

/** Limits are counted in Redis, so two api pods enforce one budget together. */
describe('rate limits', () => {
  let ctx: TestContext;
  const apps: INestApplication[] = [];

  beforeAll(async () => {
    ctx = await TestContext.create();
  });

  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
    await ctx.flushRedis();
  });

  afterAll(async () => {
    await ctx?.dispose();
  });

  async function pod(overrides: Record<string, string>) {
    const app = await createApiApp(ctx.config(overrides));
    await app.init();
    apps.push(app);
    return app;
  }

  it('holds a per-user limit across two api instances, then answers 429 with Retry-After', async () => {
    const limits = { RATE_LIMIT_USER_PER_MINUTE: '6', RATE_LIMIT_USER_PER_SECOND: '1000', RATE_LIMIT_AUTH_PER_MINUTE: '1000' };
    const [a, b] = [await pod(limits), await pod(limits)];
    const owner = await registerDealership(a);
    const me = (app: INestApplication) => request(app.getHttpServer()).get('/api/v1/auth/me').set(bearer(owner.accessToken));
    for (const app of [a, b, a, b, a, b]) await me(app).expect(200);
    const limited = await me(a).expect(429);
    expect(limited.headers['retry-after']).toMatch(/^\d+$/);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.body.error).toMatchObject({ code: 'RATE_LIMITED', requestId: expect.any(String) });
    await me(b).expect(429);
  });

  it('holds a per-second budget beside the per-minute one, names both in headers, and a refused request spends nothing per minute', async () => {
    const app = await pod({ RATE_LIMIT_USER_PER_SECOND: '3', RATE_LIMIT_USER_PER_MINUTE: '100', RATE_LIMIT_AUTH_PER_MINUTE: '1000' });
    const owner = await registerDealership(app);
    const me = () => request(app.getHttpServer()).get('/api/v1/auth/me').set(bearer(owner.accessToken));
    const burst = await Promise.all([me(), me(), me(), me()]);
    expect(burst.map((res) => res.status).sort()).toEqual([200, 200, 200, 429]);
    const ok = burst.find((res) => res.status === 200)!;
    expect(ok.headers).toMatchObject({ 'x-ratelimit-limit-user-second': '3', 'x-ratelimit-limit-user-minute': '100' });
    expect(ok.headers['x-ratelimit-remaining-user-second']).toMatch(/^[0-2]$/);
    const refused = burst.find((res) => res.status === 429)!;
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.headers['retry-after-user-second']).toBe('1');
    expect(refused.body.error.code).toBe('RATE_LIMITED');
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // the per-second block ends
    const next = await me().expect(200);
    // Three of the burst and this one were counted per minute; the refused one was not.
    expect(next.headers['x-ratelimit-remaining-user-minute']).toBe('96');
  });

  it('limits another user separately', async () => {
    const limits = { RATE_LIMIT_USER_PER_MINUTE: '3', RATE_LIMIT_USER_PER_SECOND: '1000', RATE_LIMIT_AUTH_PER_MINUTE: '1000' };
    const app = await pod(limits);
    const first = await registerDealership(app);
    const second = await registerDealership(app);
    for (let i = 0; i < 3; i += 1) await request(app.getHttpServer()).get('/api/v1/auth/me').set(bearer(first.accessToken)).expect(200);
    await request(app.getHttpServer()).get('/api/v1/auth/me').set(bearer(first.accessToken)).expect(429);
    await request(app.getHttpServer()).get('/api/v1/auth/me').set(bearer(second.accessToken)).expect(200);
  });

  it('is stricter on login, per IP, across instances', async () => {
    const limits = { RATE_LIMIT_AUTH_PER_MINUTE: '3', RATE_LIMIT_ANONYMOUS_PER_MINUTE: '1000' };
    const [a, b] = [await pod(limits), await pod(limits)];
    const attempt = (app: INestApplication) =>
      request(app.getHttpServer()).post('/api/v1/auth/login').send({ email: uniqueEmail(), password: 'guessing-the-password' });
    expect((await attempt(a)).status).toBe(401);
    expect((await attempt(b)).status).toBe(401);
    expect((await attempt(a)).status).toBe(401);
    const blocked = await attempt(b);
    expect(blocked.status).toBe(429);
    expect(blocked.headers['retry-after']).toBeDefined();
  });

  it('is one budget per user across routes, not one per route', async () => {
    const app = await pod({ RATE_LIMIT_USER_PER_MINUTE: '4', RATE_LIMIT_USER_PER_SECOND: '1000', RATE_LIMIT_AUTH_PER_MINUTE: '1000' });
    const owner = await registerDealership(app);
    const get = (path: string) => request(app.getHttpServer()).get(path).set(bearer(owner.accessToken));
    for (const path of ['/api/v1/auth/me', '/api/v1/conversations', '/api/v1/users', '/api/v1/documents']) await get(path).expect(200);
    const limited = await get('/api/v1/api-keys').expect(429);
    expect(limited.headers['retry-after']).toMatch(/^\d+$/);
  });

  it('counts refused credentials per IP before authentication: bad tokens and keys end in 429 with Retry-After', async () => {
    const app = await pod({ RATE_LIMIT_REFUSED_CREDENTIALS_PER_MINUTE: '4', RATE_LIMIT_USER_PER_MINUTE: '1000', RATE_LIMIT_AUTH_PER_MINUTE: '1000' });
    const owner = await registerDealership(app);
    const me = (token?: string) => {
      const req = request(app.getHttpServer()).get('/api/v1/auth/me');
      return token ? req.set(bearer(token)) : req;
    };
    // Valid credentials spend nothing of this budget.
    for (let i = 0; i < 6; i += 1) await me(owner.accessToken).expect(200);
    await me('not-a-token').expect(401);
    await me(`shr_${'0'.repeat(12)}_${'x'.repeat(40)}`).expect(401);
    await me().expect(401);
    await me('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl').expect(401);
    const limited = await me('not-a-token').expect(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.body.error).toMatchObject({ code: 'RATE_LIMITED' });
    // Refused before any credential is checked: this IP waits, whatever it sends.
    await me(owner.accessToken).expect(429);
    // The OpenAI-compatible face answers in OpenAI's shape, still 429 with Retry-After.
    const openai = await request(app.getHttpServer()).get('/v1/models').set(bearer('sk-wrong')).expect(429);
    expect(openai.headers['retry-after']).toBeDefined();
    expect(openai.body.error).toMatchObject({ code: 'rate_limit_exceeded' });
  });

  it('limits WebSocket handshakes per IP, whatever their credential', async () => {
    const app = await pod({ RATE_LIMIT_WS_HANDSHAKES_PER_MINUTE: '2', RATE_LIMIT_AUTH_PER_MINUTE: '1000' });
    await app.listen(0, '127.0.0.1');
    const owner = await registerDealership(app);
    const url = await app.getUrl();
    const handshake = (token: string) =>
      new Promise<{ ok: true } | { ok: false; data: { error: { code: string; details: { field: string; message: string }[] } } }>((resolve) => {
        const socket = io(url, { path: '/api/v1/ws', transports: ['websocket'], auth: { token }, reconnection: false, forceNew: true });
        socket.on('connect', () => {
          socket.close();
          resolve({ ok: true });
        });
        socket.on('connect_error', (error: Error & { data?: never }) => {
          socket.close();
          resolve({ ok: false, data: error.data! });
        });
      });
    expect(await handshake(owner.accessToken)).toEqual({ ok: true });
    expect(await handshake('wrong')).toMatchObject({ ok: false, data: { error: { code: 'UNAUTHORIZED' } } });
    const refused = await handshake(owner.accessToken);
    expect(refused).toMatchObject({ ok: false, data: { error: { code: 'RATE_LIMITED', details: [{ field: 'retryAfter' }] } } });
  });

  it('never limits health probes', async () => {
    const app = await pod({ RATE_LIMIT_ANONYMOUS_PER_MINUTE: '2' });
    for (let i = 0; i < 5; i += 1) await request(app.getHttpServer()).get('/health/live').expect(200);
  });

  it('fails open when Redis is unreachable: requests pass and the outage is counted', async () => {
    const healthy = await pod({});
    const owner = await registerDealership(healthy);
    const app = await pod({ REDIS_URL: 'redis://127.0.0.1:1', RATE_LIMIT_AUTH_PER_MINUTE: '1', RATE_LIMIT_USER_PER_MINUTE: '1' });
    for (let i = 0; i < 3; i += 1) {
      await request(app.getHttpServer()).post('/api/v1/auth/login').send({ email: owner.user.email, password: STRONG_PASSWORD }).expect(200);
    }
    const metrics = await request(app.getHttpServer()).get('/metrics').expect(200);
    const errors = Number(/rate_limit_storage_errors_total\{[^}]*\} (\d+)/.exec(metrics.text)?.[1] ?? 0);
    expect(errors).toBeGreaterThanOrEqual(3);
  });
});
