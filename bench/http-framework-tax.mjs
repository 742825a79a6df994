// Framework tax: the same tiny JSON answer from a bare Node server and from the real api
// (helmet, request id, metrics, pino, Nest routing, terminus), plus the full error path
// (unknown route -> 404 envelope, request logged). All in one run, so ratios are fair on a
// noisy machine. The anchor is a minimal NestJS + Express app (bench/nest-anchor-server.mjs):
// what Showroom's own stack costs on top of the framework it chose.
//
// The machine is shared, so its load moves within seconds: each case is measured in
// BENCH_ROUNDS short rounds, the cases taking turns within a round, and a row's `vsAnchor` is
// the median over rounds of its rate divided by the anchor's in the same round.
import { cpus, loadavg } from 'node:os';
import { load, machine, startProcess } from './lib.mjs';

const DURATION = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
// BENCH_API runs another build of the api (an older commit's, for a before/after in one sitting).
const API = process.env.BENCH_API ?? 'dist/apps/api/apps/api/src/main.js';
export const ANCHOR_CASE = 'minimal NestJS + Express app (anchor)';

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * Runs every case `rounds` times, the cases taking turns within each round (so a burst of load
 * from elsewhere hits all of them alike), and summarises each case over the rounds: median
 * rate, median latency percentiles, total errors, and the median of its per-round ratio to
 * the anchor's rate.
 */
export async function interleavedRounds(cases, { rounds, anchor = ANCHOR_CASE }) {
  const perRound = [];
  for (let round = 0; round < rounds; round += 1) {
    const results = {};
    for (const [name, measure] of Object.entries(cases)) results[name] = await measure();
    perRound.push(results);
  }
  const rows = {};
  for (const name of Object.keys(cases)) {
    const runs = perRound.map((results) => results[name]);
    rows[name] = {
      requestsPerSecond: median(runs.map((r) => r.requestsPerSecond)),
      p50Ms: median(runs.map((r) => r.p50Ms)),
      p99Ms: median(runs.map((r) => r.p99Ms)),
      errors: runs.reduce((sum, r) => sum + r.errors, 0),
      vsAnchor: `${median(perRound.map((results) => results[name].requestsPerSecond / results[anchor].requestsPerSecond)).toFixed(2)}x`,
      perRoundVsAnchor: perRound.map((results) => (results[name].requestsPerSecond / results[anchor].requestsPerSecond).toFixed(2)).join(' '),
    };
  }
  return rows;
}

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
    await load(`http://127.0.0.1:${api.port}/api/v1/nothing-here`, { ...opts, durationSeconds: 2, expectStatus: 404 });
    const rows = await interleavedRounds(
      {
        'bare node:http (baseline)': () => load(`http://127.0.0.1:${baseline.port}/`, { ...opts, expectStatus: 200 }),
        [ANCHOR_CASE]: () => load(`http://127.0.0.1:${anchor.port}/health/live`, { ...opts, expectStatus: 200 }),
        'api GET /health/live': () => load(`http://127.0.0.1:${api.port}/health/live`, { ...opts, expectStatus: 200 }),
        'api unknown route (404 envelope, logged)': () => load(`http://127.0.0.1:${api.port}/api/v1/nothing-here`, { ...opts, expectStatus: 404 }),
      },
      { rounds: ROUNDS },
    );
    return { machine: `${machine()}, ${cpus().length} cores, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`, durationSeconds: DURATION, rounds: ROUNDS, connections: CONNECTIONS, rows };
  } finally {
    await Promise.all([baseline.stop(), anchor.stop(), api.stop()]);
  }
}
