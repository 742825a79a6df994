// Framework tax: the same tiny JSON answer from a bare Node server and from the real api
// (helmet, request id, metrics, pino, Nest routing, terminus), plus the full error path
// (unknown route -> 404 envelope, request logged). All in one run, so ratios are fair on a
// noisy machine.
import { cpus } from 'node:os';
import { load, machine, startProcess } from './lib.mjs';

const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const API = 'dist/apps/api/apps/api/src/main.js';

export async function httpFrameworkTax() {
  const baseline = await startProcess('bench/baseline-server.mjs', { PORT: '3899' }, '/');
  const api = await startProcess(API, { PORT: '3900', LOG_LEVEL: 'info', REDIS_KEY_PREFIX: 'bench' }, '/health/ready');
  try {
    const opts = { connections: CONNECTIONS, durationSeconds: DURATION };
    // Warm-up so the JIT has compiled the hot paths of both servers.
    await load(`http://127.0.0.1:${baseline.port}/`, { ...opts, durationSeconds: 2, expectStatus: 200 });
    await load(`http://127.0.0.1:${api.port}/health/live`, { ...opts, durationSeconds: 2, expectStatus: 200 });
    const rows = {
      'bare node:http (baseline)': await load(`http://127.0.0.1:${baseline.port}/`, { ...opts, expectStatus: 200 }),
      'api GET /health/live': await load(`http://127.0.0.1:${api.port}/health/live`, { ...opts, expectStatus: 200 }),
      'api unknown route (404 envelope, logged)': await load(`http://127.0.0.1:${api.port}/api/v1/nothing-here`, { ...opts, expectStatus: 404 }),
    };
    return { machine: `${machine()}, ${cpus().length} cores`, durationSeconds: DURATION, connections: CONNECTIONS, rows };
  } finally {
    await Promise.all([baseline.stop(), api.stop()]);
  }
}
