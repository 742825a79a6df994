import type { INestApplication } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import request from 'supertest';
import { createApiApp } from '../apps/api/src/create-api-app';
import { STRONG_PASSWORD, Session, addUser, bearer, registerDealership, uniqueEmail } from './support/auth-helpers';
import { TestContext } from './support/test-context';

/** Sign-up, sign-in and the whole token life cycle against the real api, Postgres and Redis. */
describe('auth: tokens', () => {
  let ctx: TestContext;
  let api: INestApplication;
  let secondPod: INestApplication;
  let managedPod: INestApplication;
  let secret: string;

  beforeAll(async () => {
    ctx = await TestContext.create();
    // No grace: any second use of a rotated token counts as reuse in this suite.
    const config = ctx.config({ REFRESH_REUSE_GRACE_MS: '0', RATE_LIMIT_AUTH_PER_MINUTE: '1000', RATE_LIMIT_ANONYMOUS_PER_MINUTE: '1000' });
    secret = config.auth.jwtSecret!;
    // passport keeps strategies in a process-wide registry and the last app built owns them;
    // every app here lives until afterAll, so whichever owns them stays usable.
    managedPod = await createApiApp(ctx.config({ REGISTRATION_ENABLED: 'false' }));
    api = await createApiApp(config);
    secondPod = await createApiApp(ctx.config({ RATE_LIMIT_AUTH_PER_MINUTE: '1000', RATE_LIMIT_ANONYMOUS_PER_MINUTE: '1000' }));
    await Promise.all([api.init(), secondPod.init(), managedPod.init()]);
  });

  afterAll(async () => {
    await Promise.all([api?.close(), secondPod?.close(), managedPod?.close()]);
    await ctx?.dispose();
  });

  const http = () => request(api.getHttpServer());
  const count = async (table: string) => (await ctx.db.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n as number;

  it('registers a dealership with its owner and answers with the documented session shape', async () => {
    const session = await registerDealership(api, 'Northside Motors');
    expect(session).toEqual({
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      expiresIn: 900,
      user: { id: expect.any(String), email: expect.stringContaining('@dealer.example'), name: 'Owner', role: 'owner', active: true, createdAt: expect.any(String) },
      dealership: { id: expect.any(String), name: 'Northside Motors' },
    });
    const me = await http().get('/api/v1/auth/me').set(bearer(session.accessToken)).expect(200);
    expect(me.body).toMatchObject({ user: { id: session.user.id, role: 'owner' }, dealership: { id: session.dealership.id } });
  });

  it('refuses sign-up when registration is turned off, and writes nothing', async () => {
    const before = await count('dealerships');
    const res = await request(managedPod.getHttpServer())
      .post('/api/v1/auth/register')
      .send({ dealershipName: 'Nope Motors', name: 'N', email: uniqueEmail(), password: STRONG_PASSWORD })
      .expect(403);
    expect(res.body.error.code).toBe('REGISTRATION_DISABLED');
    expect(await count('dealerships')).toBe(before);
  });

  it('signs in with email and password, whatever the email case', async () => {
    const owner = await registerDealership(api);
    const res = await http().post('/api/v1/auth/login').send({ email: owner.user.email.toUpperCase(), password: STRONG_PASSWORD }).expect(200);
    expect(res.body.user.id).toBe(owner.user.id);
    expect(res.body.refreshToken).not.toBe(owner.refreshToken);
  });

  it('answers a wrong password and an unknown email the same way, and audits both', async () => {
    const owner = await registerDealership(api);
    const wrong = await http().post('/api/v1/auth/login').send({ email: owner.user.email, password: 'not the password at all' }).expect(401);
    const unknown = await http().post('/api/v1/auth/login').send({ email: uniqueEmail('nobody'), password: 'not the password at all' }).expect(401);
    const strip = (body: { error: { requestId: string } }) => ({ ...body.error, requestId: undefined });
    expect(strip(wrong.body)).toEqual(strip(unknown.body));
    expect(wrong.body.error.code).toBe('INVALID_CREDENTIALS');
    const failures = await ctx.db.query(
      `SELECT dealership_id, request_id, metadata->>'reason' AS reason FROM audit_events WHERE action = 'auth.sign_in_failed' AND request_id = ANY($1)`,
      [[wrong.body.error.requestId, unknown.body.error.requestId]],
    );
    expect(failures.rows).toEqual(
      expect.arrayContaining([
        { dealership_id: owner.dealership.id, request_id: wrong.body.error.requestId, reason: 'wrong_password' },
        { dealership_id: null, request_id: unknown.body.error.requestId, reason: 'unknown_email' },
      ]),
    );
  });

  it('refuses weak passwords with 422 and writes nothing', async () => {
    const before = [await count('dealerships'), await count('users')];
    for (const password of ['short', 'aaaaaaaaaaaaaaaa', 'password1234']) {
      const res = await http()
        .post('/api/v1/auth/register')
        .send({ dealershipName: 'Weak Motors', name: 'W', email: uniqueEmail(), password })
        .expect(422);
      expect(res.body.error).toMatchObject({ code: 'WEAK_PASSWORD', details: [{ field: 'password', message: expect.any(String) }] });
    }
    expect([await count('dealerships'), await count('users')]).toEqual(before);
  });

  it('refuses a duplicate email with 409 and writes nothing', async () => {
    const owner = await registerDealership(api);
    const before = await count('dealerships');
    const res = await http()
      .post('/api/v1/auth/register')
      .send({ dealershipName: 'Copycat Motors', name: 'C', email: owner.user.email.toUpperCase(), password: STRONG_PASSWORD })
      .expect(409);
    expect(res.body.error.code).toBe('EMAIL_TAKEN');
    expect(await count('dealerships')).toBe(before);
  });

  it('rotates the refresh token on every use', async () => {
    const owner = await registerDealership(api);
    const first = await http().post('/api/v1/auth/refresh').send({ refreshToken: owner.refreshToken }).expect(200);
    expect(first.body.refreshToken).not.toBe(owner.refreshToken);
    await http().get('/api/v1/auth/me').set(bearer(first.body.accessToken)).expect(200);
    const second = await http().post('/api/v1/auth/refresh').send({ refreshToken: first.body.refreshToken }).expect(200);
    expect(second.body.user.id).toBe(owner.user.id);
  });

  it('revokes the whole family when a rotated token is presented again', async () => {
    const owner = await registerDealership(api);
    const rotated = await http().post('/api/v1/auth/refresh').send({ refreshToken: owner.refreshToken }).expect(200);
    const reuse = await http().post('/api/v1/auth/refresh').send({ refreshToken: owner.refreshToken }).expect(401);
    expect(reuse.body.error.code).toBe('REFRESH_TOKEN_REUSED');
    // The legitimate newer token died with its family.
    const after = await http().post('/api/v1/auth/refresh').send({ refreshToken: rotated.body.refreshToken }).expect(401);
    expect(after.body.error.code).toBe('INVALID_REFRESH_TOKEN');
    const audit = await ctx.db.query(`SELECT target_id FROM audit_events WHERE action = 'auth.refresh_reuse_detected' AND target_id = $1`, [owner.user.id]);
    expect(audit.rows).toHaveLength(1);
  });

  it('lets exactly one of two concurrent refreshes on two api pods win', async () => {
    const owner = await registerDealership(api);
    const results = await Promise.all([
      request(api.getHttpServer()).post('/api/v1/auth/refresh').send({ refreshToken: owner.refreshToken }),
      request(secondPod.getHttpServer()).post('/api/v1/auth/refresh').send({ refreshToken: owner.refreshToken }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 401]);
    const winner = results.find((r) => r.status === 200)!;
    const rows = await ctx.db.query(`SELECT count(*)::int AS n FROM refresh_tokens WHERE user_id = $1 AND rotated_at IS NULL AND revoked_at IS NULL`, [owner.user.id]);
    expect(rows.rows[0].n).toBeLessThanOrEqual(1);
    // The pod with the grace window (secondPod) keeps the family when it loses; with none it revokes.
    const loser = results.find((r) => r.status === 401)!;
    expect(['REFRESH_TOKEN_ROTATED', 'REFRESH_TOKEN_REUSED']).toContain(loser.body.error.code);
    if (loser.body.error.code === 'REFRESH_TOKEN_ROTATED') {
      await http().post('/api/v1/auth/refresh').send({ refreshToken: winner.body.refreshToken }).expect(200);
    }
  });

  it('logout revokes the refresh token', async () => {
    const owner = await registerDealership(api);
    await http().post('/api/v1/auth/logout').send({ refreshToken: owner.refreshToken }).expect(204);
    const res = await http().post('/api/v1/auth/refresh').send({ refreshToken: owner.refreshToken }).expect(401);
    expect(res.body.error.code).toBe('INVALID_REFRESH_TOKEN');
  });

  describe('bad access tokens', () => {
    let owner: Session;
    const jwt = new JwtService();

    beforeAll(async () => {
      owner = await registerDealership(api);
    });

    const me = (headers: Record<string, string>) => http().get('/api/v1/auth/me').set(headers);

    it('answers a missing header with 401 UNAUTHORIZED', async () => {
      expect((await me({}).expect(401)).body.error.code).toBe('UNAUTHORIZED');
    });

    it('answers a malformed token with 401', async () => {
      await me(bearer('not.a.jwt')).expect(401);
      await me({ Authorization: 'Basic dXNlcjpwYXNz' }).expect(401);
    });

    it('answers a tampered token (payload changed, signature kept) with 401', async () => {
      const [header, , signature] = owner.accessToken.split('.');
      const forged = Buffer.from(JSON.stringify({ sub: owner.user.id, dlr: owner.dealership.id, role: 'platform' })).toString('base64url');
      await me(bearer(`${header}.${forged}.${signature}`)).expect(401);
    });

    it('answers an unsigned `alg: none` token with 401', async () => {
      const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
      const payload = Buffer.from(JSON.stringify({ sub: owner.user.id, dlr: owner.dealership.id, role: 'owner', iss: 'showroom', aud: 'showroom-api', exp: Math.floor(Date.now() / 1000) + 600 })).toString('base64url');
      await me(bearer(`${header}.${payload}.`)).expect(401);
    });

    it('answers a token signed with another secret with 401', async () => {
      const token = jwt.sign({ sub: owner.user.id, dlr: owner.dealership.id, role: 'owner' }, { secret: 'another-secret-another-secret-another', issuer: 'showroom', audience: 'showroom-api', expiresIn: 600 });
      await me(bearer(token)).expect(401);
    });

    it('answers an expired token with 401 TOKEN_EXPIRED', async () => {
      const token = jwt.sign(
        { sub: owner.user.id, dlr: owner.dealership.id, role: 'owner', exp: Math.floor(Date.now() / 1000) - 60 },
        { secret, issuer: 'showroom', audience: 'showroom-api' },
      );
      expect((await me(bearer(token)).expect(401)).body.error.code).toBe('TOKEN_EXPIRED');
    });

    it('stops accepting a deactivated user at once, access and refresh alike', async () => {
      const staff = await addUser(api, owner, 'staff');
      await http().get('/api/v1/auth/me').set(bearer(staff.accessToken)).expect(200);
      await http().delete(`/api/v1/users/${staff.user.id}`).set(bearer(owner.accessToken)).expect(204);
      await http().get('/api/v1/auth/me').set(bearer(staff.accessToken)).expect(401);
      await http().post('/api/v1/auth/refresh').send({ refreshToken: staff.refreshToken }).expect(401);
      await http().post('/api/v1/auth/login').send({ email: staff.user.email, password: STRONG_PASSWORD }).expect(401);
    });
  });

  it('records sign-ins with actor, time and request id', async () => {
    const owner = await registerDealership(api);
    const res = await http().post('/api/v1/auth/login').set('X-Request-Id', 'req-audit-signin').send({ email: owner.user.email, password: STRONG_PASSWORD }).expect(200);
    const rows = await ctx.db.query(`SELECT dealership_id, actor_type, actor_id, action, created_at FROM audit_events WHERE request_id = 'req-audit-signin'`);
    expect(rows.rows).toEqual([
      { dealership_id: owner.dealership.id, actor_type: 'user', actor_id: res.body.user.id, action: 'auth.signed_in', created_at: expect.any(Date) },
    ]);
  });
});
