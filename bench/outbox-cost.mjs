// What the transactional outbox costs per enqueue, against a plain BullMQ add (fast but
// loses the job if Redis drops it) measured in the same run. Uses the built api's own
// Outbox and JobProducer on the local Postgres and Redis.
import { createRequire } from 'node:module';
import { appConfig } from './app-config.mjs';
import { machine } from './lib.mjs';

const require = createRequire(import.meta.url);
const core = require('../dist/apps/api/libs/core/src/index.js');
// A job kind internal to core (not in its public face), loaded by path from the build.
const { PruneOutboxJob } = require('../dist/apps/api/libs/core/src/queue/outbox/outbox.jobs.js');
const { createApiApp } = require('../dist/apps/api/apps/api/src/create-api-app.js');

const JOBS = Number(process.env.BENCH_JOBS ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);

async function timed(label, once) {
  let next = 0;
  const latencies = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < JOBS) {
        next += 1;
        const t = performance.now();
        await once();
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p) => Number(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))].toFixed(2));
  return { label, jobsPerSecond: Math.round(JOBS / seconds), p50Ms: pct(0.5), p99Ms: pct(0.99) };
}

export async function outboxCost() {
  const config = appConfig((path) => require(`../dist/${path}`), 'api', { ...process.env, LOG_LEVEL: 'warn', REDIS_KEY_PREFIX: 'bench-outbox' });
  const app = await createApiApp(config);
  await app.init();
  const producer = app.get(core.JobProducer);
  const outbox = app.get(core.Outbox);
  const queue = app.get(core.QueueRegistry).get(PruneOutboxJob.queue);
  try {
    // Warm-up, then the baseline and the outbox, alternately measured once each.
    await timed('warm-up', () => producer.enqueue(PruneOutboxJob, {}));
    const rows = [
      await timed('BullMQ add only (baseline, not durable)', () => producer.enqueue(PruneOutboxJob, {})),
      await timed('Outbox.transaction: insert + commit + hand-over', () => outbox.transaction((tx) => tx.enqueue(PruneOutboxJob, {}))),
    ];
    return { machine: machine(), jobs: JOBS, concurrency: CONCURRENCY, rows };
  } finally {
    await queue.obliterate({ force: true });
    await app.close();
  }
}
