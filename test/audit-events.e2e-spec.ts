import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createApiApp } from '../apps/api/src/create-api-app';
import { STRONG_PASSWORD, Session, addUser, bearer, registerDealership } from './support/auth-helpers';
import { TestContext } from './support/test-context';

interface EventView {
  id: string;
  action: string;
  actor: { type: string; id: string | null };
  target: { type: string; id: string | null } | null;
  createdAt: string;
}

/** GET /api/v1/audit-events: a dealership's admins read its audit log, and only its own. */
describe('audit events', () => {
  let ctx: TestContext;
  let api: INestApplication;
  let alpha: Session;
  let alphaAdmin: Session;
  let alphaStaff: Session;
  let beta: Session;
  let betaAdmin: Session;
  let alphaKey: string;

  beforeAll(async () => {
    ctx = await TestContext.create();
    api = await createApiApp(ctx.config({ RATE_LIMIT_USER_PER_MINUTE: '10000', RATE_LIMIT_USER_PER_SECOND: '1000', RATE_LIMIT_AUTH_PER_MINUTE: '1000' }));
    await api.init();
    alpha = await registerDealership(api, 'Alpha Audit');
    alphaAdmin = await addUser(api, alpha, 'admin');
    alphaStaff = await addUser(api, alpha, 'staff');
    alphaKey = (await http().post('/api/v1/api-keys').set(bearer(alphaAdmin.accessToken)).send({ name: 'CRM' }).expect(201)).body.key;
    await http().post('/api/v1/auth/login').send({ email: alphaStaff.user.email, password: 'not the password at all' }).expect(401);
    beta = await registerDealership(api, 'Beta Audit');
    betaAdmin = await addUser(api, beta, 'admin');
    await http().post('/api/v1/auth/login').send({ email: betaAdmin.user.email, password: 'wrong password for beta' }).expect(401);
    await http().post('/api/v1/api-keys').set(bearer(beta.accessToken)).send({ name: 'Beta CRM' }).expect(201);
  });

  afterAll(async () => {
    await api?.close();
    await ctx?.dispose();
  });

  const http = () => request(api.getHttpServer());
  const list = (session: Session, query: Record<string, string | number> = {}) => http().get('/api/v1/audit-events').query(query).set(bearer(session.accessToken));
  const betaIds = () => [beta.user.id, betaAdmin.user.id, beta.dealership.id];

  it("lists the dealership's events newest first, and none of another dealership's", async () => {
    const res = await list(alphaAdmin).expect(200);
    const items = res.body.items as EventView[];
    const expected = (await ctx.db.query('SELECT id FROM audit_events WHERE dealership_id = $1', [alpha.dealership.id])).rows.map((r) => r.id);
    expect(items.map((e) => e.id).sort()).toEqual(expected.sort());
    expect(items.map((e) => e.action)).toEqual(expect.arrayContaining(['auth.registered', 'user.created', 'api_key.created', 'auth.sign_in_failed', 'auth.signed_in']));
    const times = items.map((e) => e.createdAt);
    expect(times).toEqual([...times].sort().reverse());
    const text = JSON.stringify(res.body);
    for (const id of betaIds()) expect(text).not.toContain(id);
    // Beta's own admin sees Beta's events only.
    const betaItems = (await list(betaAdmin).expect(200)).body.items as EventView[];
    expect(betaItems.length).toBeGreaterThan(0);
    expect(JSON.stringify(betaItems)).not.toContain(alphaAdmin.user.id);
  });

  it('filters by action, actor and time', async () => {
    const created = (await list(alpha, { action: 'user.created' }).expect(200)).body.items as EventView[];
    expect(created).toHaveLength(2);
    expect(created.every((e) => e.action === 'user.created' && e.actor.id === alpha.user.id)).toBe(true);
    const byAdmin = (await list(alpha, { actor: alphaAdmin.user.id }).expect(200)).body.items as EventView[];
    expect(byAdmin.map((e) => e.action).sort()).toEqual(['api_key.created', 'auth.signed_in']);
    // Another dealership's user as the actor filter finds nothing, not their events.
    expect((await list(alpha, { actor: betaAdmin.user.id }).expect(200)).body.items).toEqual([]);
    expect((await list(alpha, { to: '2000-01-01' }).expect(200)).body.items).toEqual([]);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    expect((await list(alpha, { from: tomorrow }).expect(200)).body.items).toEqual([]);
    const today = new Date().toISOString().slice(0, 10);
    const all = (await list(alpha).expect(200)).body.items as EventView[];
    expect((await list(alpha, { from: today, to: today }).expect(200)).body.items).toHaveLength(all.length);
    const second = all.at(-2)!.createdAt;
    expect(((await list(alpha, { from: second }).expect(200)).body.items as EventView[]).every((e) => e.createdAt >= second)).toBe(true);
  });

  it('pages with cursors, each event once, the filters holding on every page', async () => {
    const all = (await list(alpha).expect(200)).body.items as EventView[];
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = (await list(alpha, { limit: 2, ...(cursor ? { cursor } : {}) }).expect(200)).body as { items: EventView[]; nextCursor: string | null };
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((e) => e.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.map((e) => e.id));
    const first = (await list(alpha, { limit: 1, action: 'user.created' }).expect(200)).body;
    const next = (await list(alpha, { limit: 1, action: 'user.created', cursor: first.nextCursor }).expect(200)).body;
    expect(next.items).toHaveLength(1);
    expect(next.items[0].action).toBe('user.created');
    expect(next.nextCursor).toBeNull();
  });

  it('is for owners and admins only: staff and API keys are refused', async () => {
    await list(alphaStaff).expect(403);
    await http().get('/api/v1/audit-events').set(bearer(alphaKey)).expect(403);
    await http().get('/api/v1/audit-events').expect(401);
  });

  it('answers bad filters with 4xx envelopes', async () => {
    const queries: Record<string, string | number>[] = [{ from: '0000-01-01' }, { to: 'yesterday' }, { actor: 'x' }, { action: 'a'.repeat(101) }, { limit: 0 }];
    for (const query of queries) {
      const res = await list(alpha, query);
      expect([res.status, res.body.error.code]).toEqual([422, 'VALIDATION_FAILED']);
    }
    expect((await list(alpha, { cursor: 'nope' }).expect(400)).body.error.code).toBe('INVALID_CURSOR');
  });

  it('records sign-in failures in the dealership of the account', async () => {
    await http().post('/api/v1/auth/login').send({ email: alphaAdmin.user.email, password: STRONG_PASSWORD.toUpperCase() }).expect(401);
    const failures = (await list(alpha, { action: 'auth.sign_in_failed' }).expect(200)).body.items as EventView[];
    expect(failures.length).toBeGreaterThanOrEqual(2);
  });
});
