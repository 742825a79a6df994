import type { INestApplication } from '@nestjs/common';
import { once } from 'node:events';
import { AddressInfo, createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { EventEmitter } from 'node:events';
import { createApiApp } from '../apps/api/src/create-api-app';
import { Session, addUser, bearer, registerDealership } from './support/auth-helpers';
import { BuiltApp, startBuiltApp, stopBuiltApp } from './support/built-apps';
import { TestContext } from './support/test-context';
import { waitFor } from './support/wait-for';

/** What DESIGN.md promises across pods: each pod may keep a verified user for at most this long. */
const WITHIN_MS = 1_000;

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

/**
 * A deactivation or role change made on one api pod reaches another pod within a second, with
 * that other pod remembering the user (it has just verified them) when the change is made. The
 * second pod is the built api in its own process: in one process passport's strategy registry,
 * and with it what the strategy remembers, is shared by every app. `npm test` builds dist/.
 */
describe('auth across api pods', () => {
  let ctx: TestContext;
  let podA: INestApplication;
  let podB: BuiltApp | undefined;
  let podBUrl: string;
  let owner: Session;

  beforeAll(async () => {
    ctx = await TestContext.create();
    const config = ctx.config({ RATE_LIMIT_AUTH_PER_MINUTE: '1000' });
    podA = await createApiApp(config);
    await podA.init();
    const port = await freePort();
    podBUrl = `http://127.0.0.1:${port}`;
    const pod = startBuiltApp(ctx, 'api', { JWT_SECRET: config.auth.jwtSecret!, PORT: String(port), LOG_LEVEL: 'warn' });
    podB = pod;
    await waitFor('pod B to be ready', async () => (await fetch(`${podBUrl}/health/ready`).catch(() => undefined))?.status === 200, 30_000).catch(
      (error: Error) => {
        throw new Error(`${error.message}\n${pod.output()}`);
      },
    );
    owner = await registerDealership(podA, 'Two Pod Motors');
  });

  afterAll(async () => {
    await stopBuiltApp(podB);
    await podA?.close();
    await ctx?.dispose();
  });

  const meOnB = (token: string) => fetch(`${podBUrl}/api/v1/auth/me`, { headers: bearer(token) });
  const asOwner = () => request(podA.getHttpServer());
  const untilOneSecondAfter = (at: number) => sleep(Math.max(0, at + WITHIN_MS - Date.now()));

  it('reads a user once for a burst of their requests, not once per request', async () => {
    const staff = await addUser(podA, owner, 'staff');
    // Every query checks a connection out of the pool: count the checkouts the burst causes.
    const pool = (podA.get(DataSource).driver as unknown as { master: EventEmitter }).master;
    let checkouts = 0;
    const count = () => (checkouts += 1);
    pool.on('acquire', count);
    try {
      const startedAt = Date.now();
      for (let i = 0; i < 10; i += 1) await request(podA.getHttpServer()).get('/api/v1/auth/me').set(bearer(staff.accessToken)).expect(200);
      // One read, or two if the burst outlasted the one-second memory.
      expect(checkouts).toBeLessThanOrEqual(Date.now() - startedAt < WITHIN_MS ? 1 : 2);
      expect(checkouts).toBeGreaterThanOrEqual(1);
    } finally {
      pool.off('acquire', count);
    }
  });

  it('refuses a user deactivated on another pod within a second', async () => {
    const staff = await addUser(podA, owner, 'staff');
    expect((await meOnB(staff.accessToken)).status).toBe(200); // pod B has just verified (and may remember) them
    await asOwner().delete(`/api/v1/users/${staff.user.id}`).set(bearer(owner.accessToken)).expect(204);
    await untilOneSecondAfter(Date.now());
    expect((await meOnB(staff.accessToken)).status).toBe(401);
  });

  it('applies a role changed on another pod within a second', async () => {
    const staff = await addUser(podA, owner, 'staff');
    expect((await fetch(`${podBUrl}/api/v1/users`, { headers: bearer(staff.accessToken) })).status).toBe(403);
    await asOwner().patch(`/api/v1/users/${staff.user.id}`).set(bearer(owner.accessToken)).send({ role: 'admin' }).expect(200);
    await untilOneSecondAfter(Date.now());
    expect((await fetch(`${podBUrl}/api/v1/users`, { headers: bearer(staff.accessToken) })).status).toBe(200);
    expect(((await (await meOnB(staff.accessToken)).json()) as { user: { role: string } }).user.role).toBe('admin');
  });
});
