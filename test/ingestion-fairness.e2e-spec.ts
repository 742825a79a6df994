import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createApiApp } from '../apps/api/src/create-api-app';
import { createWorkerApp } from '../apps/worker/src/create-worker-app';
import { bearer, registerDealership } from './support/auth-helpers';
import { TestContext } from './support/test-context';
import { waitFor } from './support/wait-for';

/** One dealership's big upload must not hold up another dealership's single document. */
describe('ingestion fairness between dealerships', () => {
  let ctx: TestContext;
  const apps: INestApplication[] = [];

  beforeAll(async () => {
    ctx = await TestContext.create();
  });

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await ctx?.dispose();
  });

  it('runs a second dealership\'s document ahead of the first one\'s backlog', async () => {
    const config = ctx.config({ RATE_LIMIT_USER_PER_MINUTE: '100000', RATE_LIMIT_USER_PER_SECOND: '100000', WORKER_QUEUES: 'ingestion,embeddings', WORKER_CONCURRENCY: '1' });
    const api = await createApiApp(config);
    await api.init();
    apps.push(api);
    const big = await registerDealership(api, 'Bulk Uploads Inc');
    const small = await registerDealership(api, 'Single Doc Cars');
    const upload = (token: string, text: string, name: string) =>
      request(api.getHttpServer()).post('/api/v1/documents').set(bearer(token)).attach('file', Buffer.from(text), name).expect(202);

    // No worker yet: the backlog builds up in the queue, as during a bulk import.
    for (let i = 0; i < 40; i += 1) await upload(big.accessToken, `Bulk price sheet number ${i}: model ${i} costs ${20_000 + i}.`, `sheet-${i}.txt`);
    const single = (await upload(small.accessToken, 'Our only document: the showroom opens at nine.', 'hours.txt')).body.id as string;

    const worker = await createWorkerApp(config);
    await worker.init();
    apps.push(worker);
    await waitFor('the single document to be ready', async () => {
      const row = (await ctx.db.query(`SELECT status FROM documents WHERE id = $1`, [single])).rows[0];
      return row.status === 'ready';
    }, 30_000);
    const doneBefore = (
      await ctx.db.query(`SELECT count(*)::int AS n FROM documents WHERE dealership_id = $1 AND status = 'ready'`, [big.dealership.id])
    ).rows[0].n as number;
    // With one job at a time and strict FIFO it would wait for all 40 (measured: 40). Fairly it
    // waits for a few: the ingestion and embeddings queues run side by side, so documents of
    // the backlog already past ingestion may finish their embedding meanwhile.
    expect(doneBefore).toBeLessThanOrEqual(8);
  });
});
