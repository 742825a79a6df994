import type { INestApplication } from '@nestjs/common';
import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { createApiApp } from '../apps/api/src/create-api-app';
import { createWorkerApp } from '../apps/worker/src/create-worker-app';
import { bearer, registerDealership } from './support/auth-helpers';
import { BuiltApp, startBuiltWorker, stopBuiltApp, untilStarted } from './support/built-apps';
import { download, settledExport } from './support/export-helpers';
import { TestContext } from './support/test-context';
import { waitFor } from './support/wait-for';

const MESSAGES = 4_000;

/**
 * A worker pod killed with SIGKILL in the middle of rendering: its job lock lapses, BullMQ's
 * stalled-job check hands the job to another worker, which renders the export again (same
 * blob id, so one file) and it ends ready with every message in it.
 */
describe('exports recovery: worker killed with SIGKILL mid-export', () => {
  let ctx: TestContext;
  const apps: INestApplication[] = [];
  let victim: BuiltApp | undefined;

  beforeAll(async () => {
    ctx = await TestContext.create();
  });

  afterAll(async () => {
    await stopBuiltApp(victim);
    await Promise.all(apps.map((app) => app.close()));
    await ctx?.dispose();
  });

  it('the successor worker finishes the export: ready, one file, every message', async () => {
    const workerEnv = { JOB_LOCK_DURATION_MS: '2000', WORKER_CONCURRENCY: '1', WORKER_QUEUES: 'file-generation,maintenance' };
    // This suite polls an export for up to a minute; the default per-user budget (100 a minute)
    // would refuse the CSV request that follows on a slow machine. Budgets have their own suite.
    const api = await createApiApp(ctx.config({ RATE_LIMIT_USER_PER_MINUTE: '10000', RATE_LIMIT_USER_PER_SECOND: '1000' }));
    apps.push(api);
    await api.init();
    const owner = await registerDealership(api, 'Killed Export Motors');
    const conversation = (await request(api.getHttpServer()).post('/api/v1/conversations').set(bearer(owner.accessToken)).send({ title: 'Long thread' }).expect(201)).body.id;
    // A long conversation, so rendering takes long enough to be interrupted.
    await ctx.db.query(
      `INSERT INTO messages (id, dealership_id, conversation_id, role, content, status)
       SELECT gen_random_uuid(), $1, $2, CASE WHEN n % 2 = 1 THEN 'user' ELSE 'assistant' END, 'message ' || n || ' ' || repeat('lorem ipsum dolor sit amet ', 40), 'complete'
         FROM generate_series(1, ${MESSAGES}) AS n`,
      [owner.dealership.id, conversation],
    );

    victim = startBuiltWorker(ctx, workerEnv);
    await untilStarted(victim);
    const created = await request(api.getHttpServer()).post(`/api/v1/conversations/${conversation}/exports`).set(bearer(owner.accessToken)).send({ format: 'pdf' }).expect(202);
    await waitFor('the worker to be mid-export', async () => {
      const { rows } = await ctx.db.query('SELECT status, progress FROM file_exports WHERE id = $1', [created.body.id]);
      return rows[0].status === 'processing' && rows[0].progress >= 20;
    }, 20_000);
    victim.child.kill('SIGKILL');
    await victim.exited();
    expect((await ctx.db.query('SELECT status FROM file_exports WHERE id = $1', [created.body.id])).rows[0].status).toBe('processing');

    const successor = await createWorkerApp(ctx.config(workerEnv));
    apps.push(successor);
    await successor.init();
    const done = await settledExport(api, owner, created.body.id, 60_000);
    expect(done).toMatchObject({ status: 'ready', progress: 100, error: null });
    expect((await ctx.db.query('SELECT count(*)::int AS n FROM blobs WHERE id = $1', [created.body.id])).rows[0].n).toBe(1);

    // And the CSV of the same conversation holds every message once.
    const csv = await request(api.getHttpServer()).post(`/api/v1/conversations/${conversation}/exports`).set(bearer(owner.accessToken)).send({ format: 'csv' }).expect(202);
    await settledExport(api, owner, csv.body.id, 30_000);
    const rows = parse((await download(api, owner, csv.body.id)).bytes, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(MESSAGES);
    expect(new Set(rows.map((r) => r.message_number)).size).toBe(MESSAGES);
  }, 120_000);
});
