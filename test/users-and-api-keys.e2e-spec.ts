import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createApiApp } from '../apps/api/src/create-api-app';
import { STRONG_PASSWORD, Session, addUser, bearer, registerDealership, uniqueEmail } from './support/auth-helpers';
import { TestContext } from './support/test-context';

/** Users and API keys: roles on every admin route, tenancy on every id, keys as credentials. */
describe('users and API keys', () => {
  let ctx: TestContext;
  let api: INestApplication;
  let owner: Session;
  let admin: Session;
  let staff: Session;

  beforeAll(async () => {
    ctx = await TestContext.create();
    api = await createApiApp(ctx.config({ RATE_LIMIT_USER_PER_MINUTE: '10000', RATE_LIMIT_USER_PER_SECOND: '1000', RATE_LIMIT_AUTH_PER_MINUTE: '1000' }));
    await api.init();
    owner = await registerDealership(api, 'Alpha Autos');
    admin = await addUser(api, owner, 'admin');
    staff = await addUser(api, owner, 'staff');
  });

  afterAll(async () => {
    await api?.close();
    await ctx?.dispose();
  });

  const http = () => request(api.getHttpServer());
  const newUserBody = (role: string) => ({ email: uniqueEmail(role), name: `New ${role}`, role, password: STRONG_PASSWORD });

  describe('roles', () => {
    const adminRoutes = [
      ['get', '/api/v1/users'],
      ['post', '/api/v1/users'],
      ['patch', '/api/v1/users/00000000-0000-4000-8000-000000000000'],
      ['delete', '/api/v1/users/00000000-0000-4000-8000-000000000000'],
      ['get', '/api/v1/api-keys'],
      ['post', '/api/v1/api-keys'],
      ['delete', '/api/v1/api-keys/00000000-0000-4000-8000-000000000000'],
    ] as const;

    it.each(adminRoutes)('staff gets 403 on %s %s', async (method, path) => {
      const res = await http()[method](path).set(bearer(staff.accessToken)).send({});
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
    });

    it.each(adminRoutes)('no credentials get 401 on %s %s', async (method, path) => {
      await http()[method](path).send({}).expect(401);
    });

    it('lets an admin add staff and admins but not owners', async () => {
      await http().post('/api/v1/users').set(bearer(admin.accessToken)).send(newUserBody('staff')).expect(201);
      await http().post('/api/v1/users').set(bearer(admin.accessToken)).send(newUserBody('admin')).expect(201);
      const res = await http().post('/api/v1/users').set(bearer(admin.accessToken)).send(newUserBody('owner')).expect(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
    });

    it('lets an owner add another owner, and an admin not touch an owner', async () => {
      const created = await http().post('/api/v1/users').set(bearer(owner.accessToken)).send(newUserBody('owner')).expect(201);
      expect(created.body).toMatchObject({ role: 'owner', active: true });
      await http().patch(`/api/v1/users/${created.body.id}`).set(bearer(admin.accessToken)).send({ name: 'Renamed' }).expect(403);
    });

    it('changes a role, and the new role applies to the next request', async () => {
      const user = await addUser(api, owner, 'staff');
      await http().get('/api/v1/users').set(bearer(user.accessToken)).expect(403);
      const res = await http().patch(`/api/v1/users/${user.user.id}`).set(bearer(owner.accessToken)).send({ role: 'admin' }).expect(200);
      expect(res.body.role).toBe('admin');
      await http().get('/api/v1/users').set(bearer(user.accessToken)).expect(200);
    });

    it('keeps at least one active owner and forbids changing yourself', async () => {
      const solo = await registerDealership(api, 'Solo Cars');
      const self = await http().patch(`/api/v1/users/${solo.user.id}`).set(bearer(solo.accessToken)).send({ role: 'staff' }).expect(409);
      expect(self.body.error.code).toBe('CANNOT_CHANGE_SELF');
      await http().delete(`/api/v1/users/${solo.user.id}`).set(bearer(solo.accessToken)).expect(409);
    });

    it('rejects bad input on user routes with 4xx and writes nothing', async () => {
      const before = (await ctx.db.query('SELECT count(*)::int AS n FROM users')).rows[0].n;
      await http().post('/api/v1/users').set(bearer(owner.accessToken)).send({ ...newUserBody('staff'), role: 'platform' }).expect(422);
      await http().post('/api/v1/users').set(bearer(owner.accessToken)).send({ ...newUserBody('staff'), dealershipId: admin.dealership.id }).expect(422);
      await http().post('/api/v1/users').set(bearer(owner.accessToken)).send({ ...newUserBody('staff'), email: staff.user.email }).expect(409);
      await http().post('/api/v1/users').set(bearer(owner.accessToken)).send({ ...newUserBody('staff'), password: 'tiny' }).expect(422);
      await http().patch('/api/v1/users/not-a-uuid').set(bearer(owner.accessToken)).send({ name: 'x' }).expect(400);
      await http().get('/api/v1/users?cursor=garbage').set(bearer(owner.accessToken)).expect(400);
      expect((await ctx.db.query('SELECT count(*)::int AS n FROM users')).rows[0].n).toBe(before);
    });
  });

  it('pages the user list newest first with an opaque cursor', async () => {
    const shop = await registerDealership(api, 'Paging Motors');
    for (let i = 0; i < 4; i += 1) {
      await http().post('/api/v1/users').set(bearer(shop.accessToken)).send(newUserBody('staff')).expect(201);
    }
    const first = await http().get('/api/v1/users?limit=2').set(bearer(shop.accessToken)).expect(200);
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const rest = [];
    let cursor: string | null = first.body.nextCursor;
    while (cursor) {
      const page = await http().get(`/api/v1/users?limit=2&cursor=${cursor}`).set(bearer(shop.accessToken)).expect(200);
      rest.push(...page.body.items);
      cursor = page.body.nextCursor;
    }
    const all = [...first.body.items, ...rest];
    expect(all).toHaveLength(5);
    expect(new Set(all.map((u: { id: string }) => u.id)).size).toBe(5);
    const times = all.map((u: { createdAt: string }) => Date.parse(u.createdAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it('lets only the platform role read across dealerships', async () => {
    await http().get('/api/v1/platform/dealerships').set(bearer(owner.accessToken)).expect(403);
    // Platform accounts are made by operators, not through the API.
    const operator = await registerDealership(api, 'Operator HQ');
    await ctx.db.query(`UPDATE users SET role = 'platform' WHERE id = $1`, [operator.user.id]);
    const res = await http().get('/api/v1/platform/dealerships').set(bearer(operator.accessToken)).expect(200);
    const names = res.body.items.map((d: { name: string }) => d.name);
    expect(names).toEqual(expect.arrayContaining(['Alpha Autos', 'Operator HQ']));
    expect(res.body.items.find((d: { id: string }) => d.id === owner.dealership.id).activeUsers).toBeGreaterThanOrEqual(3);
  });

  describe('API keys', () => {
    it('shows the key once, stores only a hash, and accepts it as a bearer credential', async () => {
      const created = await http().post('/api/v1/api-keys').set(bearer(admin.accessToken)).send({ name: 'CRM sync' }).expect(201);
      expect(created.body).toMatchObject({ id: expect.any(String), name: 'CRM sync', key: expect.stringMatching(/^shr_[0-9a-f]{12}_/), lastUsedAt: null });
      const stored = await ctx.db.query('SELECT secret_hash FROM api_keys WHERE id = $1', [created.body.id]);
      const secret = /^shr_[0-9a-f]{12}_(.+)$/.exec(created.body.key)![1]; // the secret itself may contain '_'
      expect(JSON.stringify(stored.rows)).not.toContain(secret);

      const me = await http().get('/api/v1/auth/me').set(bearer(created.body.key)).expect(200);
      expect(me.body).toMatchObject({ user: null, apiKeyId: created.body.id, dealership: { id: owner.dealership.id } });

      const list = await http().get('/api/v1/api-keys').set(bearer(admin.accessToken)).expect(200);
      const listed = list.body.items.find((k: { id: string }) => k.id === created.body.id);
      expect(listed.key).toBeUndefined();
      expect(listed.prefix).toBe(created.body.key.split('_').slice(0, 2).join('_'));
      expect(listed.lastUsedAt).toEqual(expect.any(String));
    });

    it('does not let an API key manage users or keys', async () => {
      const created = await http().post('/api/v1/api-keys').set(bearer(admin.accessToken)).send({ name: 'limited' }).expect(201);
      await http().get('/api/v1/users').set(bearer(created.body.key)).expect(403);
      await http().post('/api/v1/api-keys').set(bearer(created.body.key)).send({ name: 'escalate' }).expect(403);
    });

    it('stops accepting a revoked key, and revoking twice is harmless', async () => {
      const created = await http().post('/api/v1/api-keys').set(bearer(admin.accessToken)).send({ name: 'temporary' }).expect(201);
      await http().delete(`/api/v1/api-keys/${created.body.id}`).set(bearer(admin.accessToken)).expect(204);
      await http().get('/api/v1/auth/me').set(bearer(created.body.key)).expect(401);
      await http().delete(`/api/v1/api-keys/${created.body.id}`).set(bearer(admin.accessToken)).expect(204);
      const audit = await ctx.db.query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'api_key.revoked' AND target_id = $1`, [created.body.id]);
      expect(audit.rows[0].n).toBe(1);
    });

    it('rejects a forged key with the right prefix and a wrong secret', async () => {
      const created = await http().post('/api/v1/api-keys').set(bearer(admin.accessToken)).send({ name: 'real' }).expect(201);
      const [shr, prefix] = created.body.key.split('_');
      await http().get('/api/v1/auth/me').set(bearer(`${shr}_${prefix}_${'A'.repeat(43)}`)).expect(401);
    });
  });

  describe('tenancy: another dealership\'s ids answer 404', () => {
    let other: Session;
    let otherUserId: string;
    let otherKeyId: string;

    beforeAll(async () => {
      other = await registerDealership(api, 'Beta Cars');
      otherUserId = (await addUser(api, other, 'staff')).user.id;
      otherKeyId = (await http().post('/api/v1/api-keys').set(bearer(other.accessToken)).send({ name: 'beta key' }).expect(201)).body.id;
    });

    it('PATCH /users/:id', async () => {
      const res = await http().patch(`/api/v1/users/${otherUserId}`).set(bearer(owner.accessToken)).send({ name: 'hijacked' }).expect(404);
      expect(res.body.error.code).toBe('USER_NOT_FOUND');
      const row = await ctx.db.query('SELECT name FROM users WHERE id = $1', [otherUserId]);
      expect(row.rows[0].name).not.toBe('hijacked');
    });

    it('DELETE /users/:id', async () => {
      await http().delete(`/api/v1/users/${otherUserId}`).set(bearer(owner.accessToken)).expect(404);
      const row = await ctx.db.query('SELECT active FROM users WHERE id = $1', [otherUserId]);
      expect(row.rows[0].active).toBe(true);
    });

    it('DELETE /api-keys/:id', async () => {
      await http().delete(`/api/v1/api-keys/${otherKeyId}`).set(bearer(owner.accessToken)).expect(404);
      const row = await ctx.db.query('SELECT revoked_at FROM api_keys WHERE id = $1', [otherKeyId]);
      expect(row.rows[0].revoked_at).toBeNull();
    });

    it('GET /users and GET /api-keys list only the caller\'s dealership', async () => {
      const users = await http().get('/api/v1/users?limit=100').set(bearer(owner.accessToken)).expect(200);
      expect(users.body.items.map((u: { id: string }) => u.id)).not.toContain(otherUserId);
      expect(users.body.items.map((u: { id: string }) => u.id)).toContain(staff.user.id);
      const keys = await http().get('/api/v1/api-keys').set(bearer(owner.accessToken)).expect(200);
      expect(keys.body.items.map((k: { id: string }) => k.id)).not.toContain(otherKeyId);
    });

    it('GET /auth/me answers with the caller\'s own dealership only', async () => {
      const me = await http().get('/api/v1/auth/me').set(bearer(other.accessToken)).expect(200);
      expect(me.body.dealership.id).toBe(other.dealership.id);
    });
  });
});
