import type { INestApplication } from '@nestjs/common';
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
