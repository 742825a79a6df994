// Framework tax: the same tiny JSON answer from a bare Node server and from the real api
// (helmet, request id, metrics, pino, Nest routing, terminus), plus the full error path
// (unknown route -> 404 envelope, request logged). All in one run, so ratios are fair on a
// noisy machine. The anchor is a minimal NestJS + Express app (bench/nest-anchor-server.mjs):
// what Showroom's own stack costs on top of the framework it chose.
import { cpus, loadavg } from 'node:os';
import { load, machine, startProcess } from './lib.mjs';

const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const API = 'dist/apps/api/apps/api/src/main.js';

export async function httpFrameworkTax() {
  const baseline = await startProcess('bench/baseline-server.mjs', { PORT: '3899' }, '/');
  const anchor = await startProcess('bench/nest-anchor-server.mjs', { PORT: '3898' }, '/health/live');
  const api = await startProcess(API, { PORT: '3900', LOG_LEVEL: 'info', REDIS_KEY_PREFIX: 'bench' }, '/health/ready');
  try {
    const opts = { connections: CONNECTIONS, durationSeconds: DURATION };
    // Warm-up so the JIT has compiled the hot paths of both servers.
    await load(`http://127.0.0.1:${baseline.port}/`, { ...opts, durationSeconds: 2, expectStatus: 200 });
    await load(`http://127.0.0.1:${anchor.port}/health/live`, { ...opts, durationSeconds: 2, expectStatus: 200 });
    await load(`http://127.0.0.1:${api.port}/health/live`, { ...opts, durationSeconds: 2, expectStatus: 200 });
    const rows = {
      'bare node:http (baseline)': await load(`http://127.0.0.1:${baseline.port}/`, { ...opts, expectStatus: 200 }),
      'minimal NestJS + Express app (anchor)': await load(`http://127.0.0.1:${anchor.port}/health/live`, { ...opts, expectStatus: 200 }),
      'api GET /health/live': await load(`http://127.0.0.1:${api.port}/health/live`, { ...opts, expectStatus: 200 }),
      'api unknown route (404 envelope, logged)': await load(`http://127.0.0.1:${api.port}/api/v1/nothing-here`, { ...opts, expectStatus: 404 }),
    };
    const anchorRate = rows['minimal NestJS + Express app (anchor)'].requestsPerSecond;
    for (const row of Object.values(rows)) row.vsAnchor = `${(row.requestsPerSecond / anchorRate).toFixed(2)}x`;
    return { machine: `${machine()}, ${cpus().length} cores, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`, durationSeconds: DURATION, connections: CONNECTIONS, rows };
  } finally {
    await Promise.all([baseline.stop(), anchor.stop(), api.stop()]);
  }
}
