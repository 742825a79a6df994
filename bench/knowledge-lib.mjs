// Helpers shared by the knowledge-base benchmarks (ingestion, retrieval-quality).
//
// Isolation: other engineers build, test and run processes on this machine at the same time,
// so a knowledge bench
// - runs from a private copy of dist/ (`nest build` deletes dist/ first, and the parse thread
//   loads parse.worker.js from disk per document, so a rebuild mid-run would break it);
// - migrates and uses its own database (the shared `test` database's outbox rows could be
//   relayed by someone else's worker, and theirs by ours), dropped at the end;
// - uses its own Redis key prefixes (queues included), deleted at the end.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { cp } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

const require = createRequire(import.meta.url);
const { Client } = require('pg');
const Redis = require('ioredis');

const ADMIN_URL = process.env.BENCH_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export const PASSWORD = 'benchmark password that is long enough';

const NEEDED = [
  'apps/api/apps/api/src/main.js',
  'apps/api/apps/api/src/create-api-app.js',
  'apps/worker/apps/worker/src/create-worker-app.js',
  'apps/worker/libs/rag/src/parsing-sandbox/parse.worker.js',
  'apps/migrate/apps/migrate/src/main.js',
];

/**
 * Copies dist/ to bench/results/dist-<id> (git-ignored); returns its path and a remover.
 * Someone else's `npm run build` may be deleting and rewriting dist/ right now: wait for it
 * (up to two minutes) and copy again if the copy came out incomplete.
 */
export async function snapshotDist(id) {
  const dir = `bench/results/dist-${id}`;
  for (let attempt = 1; ; attempt += 1) {
    const missing = NEEDED.filter((file) => !existsSync(`dist/${file}`));
    if (missing.length === 0) {
      rmSync(dir, { recursive: true, force: true });
      try {
        // fs.promises.cp, not cpSync: cpSync aborts the process when a directory vanishes mid-copy.
        await cp('dist', dir, { recursive: true });
        if (NEEDED.every((file) => existsSync(`${dir}/${file}`))) break;
      } catch {
        // dist/ changed under the copy; try again
      }
    }
    if (attempt >= 24) throw new Error('dist/ is missing or incomplete for two minutes: run npm run build');
    await sleep(5_000);
  }
  return { dir: new URL(`../${dir}/`, import.meta.url).pathname, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * One isolated world for a knowledge bench: dist snapshot, migrated database, Redis prefix
 * base and JWT secret. `env(extra)` is the environment for the apps; `dispose()` removes it all.
 */
export async function createBenchWorld(name) {
  const id = `${name.replace(/[^a-z0-9]/g, '')}${randomBytes(4).toString('hex')}`;
  const dist = await snapshotDist(id);
  const database = `bench_${id}`;
  const databaseUrl = `postgres://postgres@127.0.0.1:5432/${database}`;
  await withAdmin((admin) => admin.query(`CREATE DATABASE ${database}`));
  const migrated = spawnSync(process.execPath, [`${dist.dir}apps/migrate/apps/migrate/src/main.js`], {
    env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (migrated.status !== 0) throw new Error(`migrations failed on ${database}`);
  const prefixes = [];
  const world = {
    id,
    dist: dist.dir,
    databaseUrl,
    require: (path) => require(`${dist.dir}${path}`),
    /** Environment for an api or worker of this world; each distinct `prefix` is its own set of queues. */
    env(prefix, extra = {}) {
      const redisPrefix = `bench-${id}-${prefix}`;
      if (!prefixes.includes(redisPrefix)) prefixes.push(redisPrefix);
      return {
        NODE_ENV: 'production',
        LOG_LEVEL: 'warn',
        DATABASE_URL: databaseUrl,
        REDIS_URL,
        REDIS_KEY_PREFIX: redisPrefix,
        JWT_SECRET: `bench-secret-${id}-0123456789abcdefghijklmnop`,
        RATE_LIMIT_USER_PER_SECOND: '100000',
        RATE_LIMIT_USER_PER_MINUTE: '1000000',
        RATE_LIMIT_ANONYMOUS_PER_MINUTE: '1000000',
        RATE_LIMIT_AUTH_PER_MINUTE: '10000',
        WORKER_QUEUES: 'ingestion,embeddings',
        DOCS_ENABLED: 'false',
        ...extra,
      };
    },
    async dispose() {
      const redis = new Redis(REDIS_URL);
      try {
        for (const prefix of prefixes) await deleteKeys(redis, `${prefix}:*`);
      } finally {
        redis.disconnect();
      }
      await withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
      dist.remove();
    },
  };
  return world;
}

async function deleteKeys(redis, pattern) {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

async function withAdmin(fn) {
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.end();
  }
}

/** Registers a dealership through the api; returns the owner's access token and dealership id. */
export async function registerDealership(base, name) {
  const email = `bench-${randomBytes(4).toString('hex')}@dealer.example`;
  const res = await fetch(`${base}/api/v1/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ dealershipName: name, name: 'Bench', email, password: PASSWORD }),
  });
  if (res.status !== 201) throw new Error(`register answered ${res.status}: ${await res.text()}`);
  const body = await res.json();
  return { token: body.accessToken, dealershipId: body.dealership.id };
}

/** POST /api/v1/documents as multipart; resolves to { status, body }. */
export async function upload(base, token, bytes, fileName, title) {
  const form = new FormData();
  form.append('file', new Blob([bytes]), fileName);
  if (title) form.append('title', title);
  const res = await fetch(`${base}/api/v1/documents`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  return { status: res.status, body: await res.json() };
}

/**
 * Polls the document's row every `intervalMs` until it is ready (or failed), and returns the
 * time (ms, from `startedAt`) at which each status/progress step was first seen.
 */
export async function watchDocument(dataSource, documentId, startedAt, { intervalMs = 20, timeoutMs = 600_000 } = {}) {
  const seen = {};
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const [row] = await dataSource.query(`SELECT status, progress, chunk_count, error FROM documents WHERE id = $1`, [documentId]);
    const at = performance.now() - startedAt;
    if (row) {
      const key = row.status === 'processing' ? `processing ${row.progress}` : row.status;
      seen[key] ??= at;
      if (row.status === 'ready') return { seen, chunkCount: row.chunk_count };
      if (row.status === 'failed') throw new Error(`document ${documentId} failed: ${row.error}`);
    }
    await sleep(intervalMs);
  }
  throw new Error(`document ${documentId} not ready after ${timeoutMs} ms`);
}

/** Latency percentiles of a list of ms values (nearest rank). */
export function percentiles(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const pct = (p) => Number(sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)].toFixed(1));
  return { p50Ms: pct(0.5), p99Ms: pct(0.99) };
}

/** Runs `count` calls of `fn(i)` from `clients` concurrent loops; returns per-call ms and wall time. */
export async function concurrently(count, clients, fn) {
  const latencies = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < count) {
        const i = next++;
        const t0 = performance.now();
        await fn(i);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return { latencies, wallMs: performance.now() - started };
}
