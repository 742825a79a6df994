// Identity costs against the framework-tax baseline, all in one run on one api process:
// GET /health/live (the stack alone), GET /auth/me (JWT verify + user lookup + rate-limit
// check in Redis), and POST /auth/login (argon2id verify, refresh token insert, audit row).
import autocannon from 'autocannon';
import { cpus, loadavg } from 'node:os';
import { ANCHOR_CASE, interleavedRounds } from './http-framework-tax.mjs';
import { load, machine, startProcess } from './lib.mjs';

// Rounds as in http-framework-tax: the cases take turns, `vsAnchor` is the median per-round ratio.
const DURATION = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const LOGIN_CONNECTIONS = Number(process.env.BENCH_LOGIN_CONNECTIONS ?? 8);
// BENCH_API runs another build of the api (an older commit's, for a before/after in one sitting).
const API = process.env.BENCH_API ?? 'dist/apps/api/apps/api/src/main.js';
const PASSWORD = 'benchmark password that is long enough';

async function loginLoad(base, email) {
  const result = await autocannon({
    url: `${base}/api/v1/auth/login`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
    connections: LOGIN_CONNECTIONS,
    duration: DURATION,
  });
  return {
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

export async function auth() {
  // The highest limits the config accepts: the limiter still runs (its Redis call is part of
  // what is measured) but never refuses.
  const api = await startProcess(
    API,
    {
      PORT: '3901',
      LOG_LEVEL: 'info',
      REDIS_KEY_PREFIX: `bench-auth-${Date.now()}`,
      RATE_LIMIT_USER_PER_SECOND: '100000',
      RATE_LIMIT_USER_PER_MINUTE: '1000000',
      RATE_LIMIT_ANONYMOUS_PER_MINUTE: '1000000',
      RATE_LIMIT_AUTH_PER_MINUTE: '10000',
    },
    '/health/ready',
  );
  const base = `http://127.0.0.1:${api.port}`;
  // The anchor of http-framework-tax: a minimal NestJS + Express app answering a tiny JSON.
  const anchor = await startProcess('bench/nest-anchor-server.mjs', { PORT: '3898' }, '/health/live');
  try {
    const email = `bench-${Date.now()}@dealer.example`;
    const registered = await fetch(`${base}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ dealershipName: 'Bench Motors', name: 'Bench', email, password: PASSWORD }),
    });
    if (registered.status !== 201) throw new Error(`register answered ${registered.status}`);
    const { accessToken } = await registered.json();
    const opts = { connections: CONNECTIONS, durationSeconds: DURATION, expectStatus: 200 };
    await load(`${base}/health/live`, { ...opts, durationSeconds: 2 }); // warm-up
    const meUrl = `${base}/api/v1/auth/me`;
    const me = async () => {
      const result = await autocannon({ url: meUrl, headers: { authorization: `Bearer ${accessToken}` }, connections: CONNECTIONS, duration: DURATION });
      return { requestsPerSecond: Math.round(result.requests.average), p50Ms: result.latency.p50, p99Ms: result.latency.p99, errors: result.errors + result.timeouts + result.non2xx };
    };
    await load(`http://127.0.0.1:${anchor.port}/health/live`, { ...opts, durationSeconds: 2 }); // warm-up
    await me(); // warm-up
    const rows = await interleavedRounds(
      {
        [ANCHOR_CASE]: () => load(`http://127.0.0.1:${anchor.port}/health/live`, opts),
        'api GET /health/live (framework-tax baseline)': () => load(`${base}/health/live`, opts),
        'GET /auth/me (JWT + user lookup + Redis rate limit)': me,
        [`POST /auth/login (argon2id; ${LOGIN_CONNECTIONS} connections)`]: () => loginLoad(base, email),
      },
      { rounds: ROUNDS },
    );
    return { machine: `${machine()}, ${cpus().length} cores, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`, durationSeconds: DURATION, rounds: ROUNDS, connections: CONNECTIONS, rows };
  } finally {
    await Promise.all([api.stop(), anchor.stop()]);
  }
}
