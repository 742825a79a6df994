// Chat answers over SSE (POST /api/v1/conversations/:id/messages, Accept: text/event-stream)
// against a fake upstream LLM with a fixed time to first token and a fixed delay between tokens,
// each measured beside that upstream streamed directly by the same client code in the same run:
//
// 1. time to first token Showroom adds (retrieval over a 10k-chunk knowledge base, the DB
//    writes before the model call, prompt building), ~200 sequential answers after a warm-up;
// 2. N concurrent streams (default 1,000) of a ~50-token answer on ONE api process: its RSS
//    before and at peak, the client-observed gap between tokens against the upstream's, errors,
//    total time; when N fails, lower levels are tried and the failures' causes recorded.
//
// Runs in its own world (dist copy, database, Redis prefix: bench/knowledge-lib.mjs); the api and
// the fake upstream are child processes, the load generator is this process.
// Knobs: BENCH_CHAT_CHUNKS (10000), BENCH_CHAT_SEQUENTIAL (200), BENCH_CHAT_STREAMS (1000),
// BENCH_CHAT_POOL (20), BENCH_CHAT_FIRST_TOKEN_MS (200), BENCH_CHAT_TOKEN_DELAY_MS (20),
// BENCH_CHAT_ANSWER_WORDS (50), BENCH_CHAT_STREAM_KB (same: the 10k-chunk dealership; small: 100 chunks).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, openSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { agent, pct, streamOnce } from './chat-client.mjs';
import { createBenchWorld, registerDealership } from './knowledge-lib.mjs';

const require = createRequire(import.meta.url);
const { Client } = require('pg');

const CHUNKS = Number(process.env.BENCH_CHAT_CHUNKS ?? 10_000);
const SEQUENTIAL = Number(process.env.BENCH_CHAT_SEQUENTIAL ?? 200);
const WARMUP = 10;
const STREAMS = Number(process.env.BENCH_CHAT_STREAMS ?? 1000);
const POOL = process.env.BENCH_CHAT_POOL ?? '20';
const FIRST_TOKEN_MS = Number(process.env.BENCH_CHAT_FIRST_TOKEN_MS ?? 200);
const TOKEN_DELAY_MS = Number(process.env.BENCH_CHAT_TOKEN_DELAY_MS ?? 20);
const ANSWER_WORDS = Number(process.env.BENCH_CHAT_ANSWER_WORDS ?? 50);
const STREAM_KB = process.env.BENCH_CHAT_STREAM_KB ?? 'same';

const WORDS = ('warranty powertrain engine transmission mileage lease loan apr financing credit trade-in sedan suv truck hybrid electric '
  + 'battery charging tyre brake service oil filter inspection recall rust corrosion paint dealer showroom price option package heated seats '
  + 'navigation camera sensor towing capacity fuel economy emission insurance registration delivery appointment').split(' ');

function rng(seed) {
  let s = seed >>> 0;
  return () => ((s = Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32;
}
const sentence = (next, n) => Array.from({ length: n }, () => WORDS[Math.floor(next() * WORDS.length)]).join(' ');
const question = (i) => `What does the dealer say about ${sentence(rng(5000 + i), 5)}?`;
const round = (x, digits = 1) => (x === null || x === undefined ? null : Number(x.toFixed(digits)));
const mb = (kb) => round(kb / 1024, 0);

/** The same chunk seeding as bench/search.mjs (60 random dealership words, local embedder), in the registered dealership. */
async function seedChunks(db, embedder, dealershipId, count, seed) {
  const [{ id: userId }] = (await db.query(`SELECT id FROM users WHERE dealership_id = $1 LIMIT 1`, [dealershipId])).rows;
  const documentId = crypto.randomUUID();
  await db.query(
    `INSERT INTO documents (id, dealership_id, title, file_name, doc_type, mime_type, size_bytes, content_sha256, blob_id, status, progress, chunk_count, created_by, searchable_generation)
     VALUES ($1, $2, 'Bench corpus', 'bench.txt', 'text', 'text/plain', 0, $3, $4, 'ready', 100, $5, $6, 0)`,
    [documentId, dealershipId, crypto.randomUUID(), crypto.randomUUID(), count, userId],
  );
  const next = rng(seed);
  for (let from = 0; from < count; from += 500) {
    const texts = Array.from({ length: Math.min(500, count - from) }, () => sentence(next, 60));
    const vectors = await embedder.embed(texts);
    await db.query(
      `INSERT INTO document_chunks (id, dealership_id, document_id, generation, chunk_index, text, token_count, embedding)
       SELECT gen_random_uuid(), $1, $2, 0, i, t, 80, e FROM unnest($3::int[], $4::text[], $5::bytea[]) AS x(i, t, e)`,
      [dealershipId, documentId, texts.map((_, i) => from + i), texts, vectors.map((v) => Buffer.from(Float32Array.from(v).buffer))],
    );
  }
  await db.query('ANALYZE document_chunks');
}

/**
 * Starts the api from the world's dist copy with its log (stdout and stderr, JSON lines at
 * LOG_LEVEL=warn) going to a file, not through this process, and waits until it is ready.
 */
async function startApi(entry, env, logFile) {
  const fd = openSync(logFile, 'w');
  const child = spawn(process.execPath, [entry], { env: { ...process.env, ...env }, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`api exited with ${child.exitCode}; see ${logFile}`);
    try {
      if ((await fetch(`http://127.0.0.1:${env.PORT}/health/ready`)).status === 200) {
        return { child, stop: async () => (child.exitCode === null ? (child.kill('SIGTERM'), once(child, 'exit')) : undefined) };
      }
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  child.kill('SIGKILL');
  throw new Error(`api did not become ready; see ${logFile}`);
}

/** Warnings and errors the api logged from byte `from` on, grouped by message (ids and numbers folded). */
function loggedProblems(logFile, from) {
  const text = readFileSync(logFile, 'utf8').slice(from);
  const counts = {};
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue;
    let entry;
    try {
      entry = JSON.parse(line);
    } catch {
      continue;
    }
    if ((entry.level ?? 0) < 40) continue;
    const message = `${entry.msg ?? ''}${entry.err?.message ? ` | ${entry.err.message}` : ''}`
      .replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '<id>')
      .split('\n')[0]
      .slice(0, 300);
    counts[message] = (counts[message] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(counts).sort((a, b) => b[1] - a[1]).slice(0, 12));
}
const fileSize = (file) => statSync(file).size;

async function freePort() {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function startUpstream() {
  const child = spawn(process.execPath, [new URL('./chat-fake-upstream.mjs', import.meta.url).pathname], {
    env: { ...process.env, FIRST_TOKEN_MS: String(FIRST_TOKEN_MS), TOKEN_DELAY_MS: String(TOKEN_DELAY_MS), ANSWER_WORDS: String(ANSWER_WORDS) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  for await (const part of child.stdout) {
    out += part;
    if (out.includes('\n')) break;
  }
  const port = Number(/listening (\d+)/.exec(out)?.[1]);
  if (!port) throw new Error(`fake upstream did not start: ${out}`);
  const base = `http://127.0.0.1:${port}`;
  return {
    child,
    base,
    stats: async () => (await fetch(`${base}/stats`)).json(),
    timeline: async () => (await fetch(`${base}/timeline`)).json(),
    stop: async () => {
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

/** VmRSS / VmHWM (KiB) and open descriptors of a process, from /proc. */
function procStatus(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1]);
  return { rssKb: field('VmRSS'), hwmKb: field('VmHWM'), threads: field('Threads') };
}
const openFds = (pid) => readdirSync(`/proc/${pid}/fd`).length;
/** User + system CPU seconds a process has used. */
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime in clock ticks (CLK_TCK = 100)
}

/**
 * CPU seconds so far of each Postgres backend connected to `database`, by pid, the bench's own
 * connections (`ownPids`) left out: the api's pool. Postgres shares the machine's cores with the
 * api, so a change that moves work into the database shows here, not in the api's CPU.
 */
async function backendCpu(monitor, database, ownPids) {
  const { rows } = await monitor.query('SELECT pid FROM pg_stat_activity WHERE datname = $1', [database]);
  const byPid = new Map();
  for (const { pid } of rows) {
    if (ownPids.has(pid)) continue;
    try {
      byPid.set(pid, cpuSeconds(pid));
    } catch {
      // the backend ended meanwhile
    }
  }
  return byPid;
}

/** Samples the api's RSS, descriptors and its database connections while `run` runs. */
async function sampled(pid, db, database, run) {
  const samples = [];
  let stop = false;
  const loop = (async () => {
    while (!stop) {
      const at = performance.now();
      try {
        const status = procStatus(pid);
        // Connections by state, plus those waiting on a row lock ('lock wait').
        const conns = (await db.query(
          `SELECT CASE WHEN wait_event_type = 'Lock' THEN 'lock wait' ELSE coalesce(state, 'null') END AS state, count(*)::int AS n
             FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid() GROUP BY 1`,
          [database],
        )).rows;
        samples.push({ at, rssKb: status.rssKb, fds: openFds(pid), db: Object.fromEntries(conns.map((r) => [r.state, r.n])) });
      } catch {
        // the process may be gone
      }
      await sleep(100);
    }
  })();
  try {
    return { result: await run(), samples };
  } finally {
    stop = true;
    await loop;
  }
}

/** Summary of a set of streams: TTFT, inter-token gaps, errors (grouped), wall time. */
function summarise(results, wallMs) {
  const ttft = [];
  const serverFirst = [];
  const beforeAnswerer = [];
  const gaps = [];
  const spans = [];
  const errors = {};
  let ok = 0;
  let tokens = 0;
  for (const r of results) {
    if (r.tokenTimes.length > 0) ttft.push(r.tokenTimes[0] - r.startedAt);
    // The api's own measure (from the answerer's start: retrieval + prompt + model), so the
    // client's TTFT minus it is what came before: auth, history read, the two opening transactions.
    const first = r.server?.firstTokenMs;
    if (typeof first === 'number') {
      serverFirst.push(first);
      beforeAnswerer.push(r.tokenTimes[0] - r.startedAt - first);
    }
    for (let i = 1; i < r.tokenTimes.length; i += 1) gaps.push(r.tokenTimes[i] - r.tokenTimes[i - 1]);
    if (r.tokenTimes.length > 1) spans.push(r.tokenTimes.at(-1) - r.tokenTimes[0]);
    tokens += r.tokenTimes.length;
    const failed = r.status !== 200 || !r.ended || r.error;
    if (failed) {
      const reason = r.status && r.status !== 200 ? `HTTP ${r.status}` : (r.error ?? 'no done').replace(/[0-9a-f-]{36}/g, '<id>');
      errors[reason] = (errors[reason] ?? 0) + 1;
    } else ok += 1;
  }
  // Most streams between their first and last token at the same moment.
  const edges = [];
  for (const r of results) if (r.tokenTimes.length > 0) edges.push([r.tokenTimes[0], 1], [r.tokenTimes.at(-1), -1]);
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let streaming = 0;
  let peakStreaming = 0;
  for (const [, step] of edges) peakStreaming = Math.max(peakStreaming, (streaming += step));
  return {
    streams: results.length,
    peakStreamingAtOnce: peakStreaming,
    completed: ok,
    errors: results.length - ok,
    errorReasons: errors,
    tokensReceived: tokens,
    ttftP50Ms: pct(ttft, 0.5),
    ttftP99Ms: pct(ttft, 0.99),
    ...(serverFirst.length ? { answererFirstTokenP50Ms: pct(serverFirst, 0.5), answererFirstTokenP99Ms: pct(serverFirst, 0.99), beforeAnswererP50Ms: pct(beforeAnswerer, 0.5), beforeAnswererP99Ms: pct(beforeAnswerer, 0.99) } : {}),
    gapMeanMs: gaps.length ? round(gaps.reduce((a, b) => a + b, 0) / gaps.length) : null,
    // Tokens that reached the client in the same read as the one before (delivered in a burst).
    gapsUnder1Ms: gaps.length ? `${round((100 * gaps.filter((g) => g < 1).length) / gaps.length, 0)}%` : null,
    gapP50Ms: pct(gaps, 0.5),
    gapP90Ms: pct(gaps, 0.9),
    gapP99Ms: pct(gaps, 0.99),
    gapMaxMs: round(Math.max(...gaps, 0)),
    // First to last token of a stream; the upstream sends them (ANSWER_WORDS - 1) x TOKEN_DELAY_MS apart.
    firstToLastTokenP50Ms: pct(spans, 0.5),
    firstToLastTokenP99Ms: pct(spans, 0.99),
    wallMs: round(wallMs, 0),
  };
}

/** Adds the api's stored measures of each answer (first_token_ms from the answerer's start, model) to its stream result. */
async function attachServer(db, results, conversationIds) {
  const { rows } = await db.query(
    `SELECT conversation_id, first_token_ms, latency_ms, model FROM messages WHERE role = 'assistant' AND conversation_id = ANY($1::uuid[])`,
    [conversationIds],
  );
  const byConversation = new Map(rows.map((row) => [row.conversation_id, row]));
  results.forEach((r, i) => {
    const row = byConversation.get(conversationIds[i]);
    if (row) r.server = { firstTokenMs: row.first_token_ms, latencyMs: row.latency_ms, model: row.model };
  });
  return results;
}

/**
 * Where each answer's time to first token went, from wall-clock stamps: the client's start,
 * the user message's and the assistant message's created_at (set by the api as it inserts
 * them), the request's arrival at the upstream and its first content chunk there, the first
 * token at the client. Same host, same clock. Returns p50/p99 of each phase (ms).
 */
async function phases(db, results, conversationIds, questions, upstreamTimeline) {
  const { rows } = await db.query(
    `SELECT conversation_id, role, extract(epoch from created_at) * 1000 AS at FROM messages WHERE conversation_id = ANY($1::uuid[])`,
    [conversationIds],
  );
  const stamps = new Map();
  for (const row of rows) stamps.set(`${row.conversation_id}:${row.role}`, Number(row.at));
  const spans = { toUserMessageInserted: [], toAssistantMessageInserted: [], retrievalPromptAndConnect: [], upstreamFirstToken: [], relayToClient: [] };
  results.forEach((r, i) => {
    const start = performance.timeOrigin + r.startedAt;
    const user = stamps.get(`${conversationIds[i]}:user`);
    const assistant = stamps.get(`${conversationIds[i]}:assistant`);
    // The api's prompt contains the question among the sources; a direct (baseline) call is the question alone.
    const up = upstreamTimeline.find((e) => typeof e.question === 'string' && e.question !== questions[i] && e.question.includes(questions[i]));
    if (!user || !assistant || !up?.firstTokenAt || r.tokenTimes.length === 0) return;
    spans.toUserMessageInserted.push(user - start);
    spans.toAssistantMessageInserted.push(assistant - user);
    spans.retrievalPromptAndConnect.push(up.arrivedAt - assistant);
    spans.upstreamFirstToken.push(up.firstTokenAt - up.arrivedAt);
    spans.relayToClient.push(performance.timeOrigin + r.tokenTimes[0] - up.firstTokenAt);
  });
  return Object.fromEntries(Object.entries(spans).map(([k, v]) => [k, { p50Ms: pct(v, 0.5), p99Ms: pct(v, 0.99), n: v.length }]));
}

async function concurrentStreams(count, makeRequest) {
  const started = performance.now();
  const results = await Promise.all(Array.from({ length: count }, (_, i) => makeRequest(i)));
  return { results, wallMs: performance.now() - started };
}

async function inBatches(count, size, fn) {
  const out = [];
  for (let from = 0; from < count; from += size) out.push(...(await Promise.all(Array.from({ length: Math.min(size, count - from) }, (_, i) => fn(from + i)))));
  return out;
}

export async function chat() {
  const world = await createBenchWorld('chat');
  const upstream = await startUpstream();
  const db = new Client({ connectionString: world.databaseUrl });
  await db.connect();
  const monitor = new Client({ connectionString: world.databaseUrl });
  await monitor.connect();
  const database = new URL(world.databaseUrl).pathname.slice(1);
  let api;
  try {
    const port = await freePort();
    const apiEnv = world.env('api', {
      PORT: String(port),
      LLM_PROVIDER: 'openai',
      LLM_API_KEY: 'sk-bench',
      LLM_BASE_URL: `${upstream.base}/v1`,
      LLM_MODEL: 'gpt-4o-mini',
      DATABASE_POOL_SIZE: POOL,
      // BENCH_CHAT_CPU_PROF=<dir>: a V8 CPU profile of the api, written when it exits.
      ...(process.env.BENCH_CHAT_CPU_PROF ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${process.env.BENCH_CHAT_CPU_PROF}` } : {}),
    });
    const logFile = new URL(`./results/chat-api-${world.id}.log`, import.meta.url).pathname;
    api = await startApi(`${world.dist}apps/api/apps/api/src/main.js`, apiEnv, logFile);
    const pid = api.child.pid;
    const base = `http://127.0.0.1:${port}`;
    const { token, dealershipId } = await registerDealership(base, 'Bench Chat Motors');
    const auth = { authorization: `Bearer ${token}` };
    const { LexicalHashEmbedder } = world.require('apps/api/libs/rag/src/embeddings/lexical-hash-embedder.js');
    const embedder = new LexicalHashEmbedder(Number(process.env.EMBEDDING_DIMENSIONS ?? 1024));
    const seedStarted = performance.now();
    await seedChunks(db, embedder, dealershipId, CHUNKS, CHUNKS);
    const seedMs = performance.now() - seedStarted;

    const newConversation = async (headers = auth) => {
      const res = await fetch(`${base}/api/v1/conversations`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: '{}' });
      if (res.status !== 201) throw new Error(`POST /conversations answered ${res.status}: ${await res.text()}`);
      return (await res.json()).id;
    };
    const ask = (conversationId, i, headers = auth) =>
      streamOnce(`${base}/api/v1/conversations/${conversationId}/messages`, { headers, body: { content: question(i) } });
    const direct = (i) =>
      streamOnce(`${upstream.base}/v1/chat/completions`, {
        headers: { authorization: 'Bearer sk-bench' },
        body: { model: 'gpt-4o-mini', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: question(i) }] },
      });
    const check = (r, what) => {
      if (r.status !== 200 || !r.ended || r.error) throw new Error(`${what} failed: ${r.status} ${r.error}`);
    };

    // ---- 1. time to first token, sequential ----
    const rssStart = procStatus(pid);
    const coldConversation = await newConversation();
    const cold = await ask(coldConversation, 0);
    check(cold, 'cold answer');
    const coldTtftMs = cold.tokenTimes[0] - cold.startedAt;
    for (let i = 1; i <= WARMUP; i += 1) {
      check(await ask(await newConversation(), i), 'warm-up answer');
      check(await direct(i), 'warm-up direct');
    }
    const showroomTtft = [];
    const showroomRuns = [];
    const showroomConversations = [];
    const directTtft = [];
    const searchMs = [];
    const citedAnswers = { withCitations: 0 };
    for (let i = 0; i < SEQUENTIAL; i += 1) {
      const q = 100 + i;
      const conversationId = await newConversation();
      const viaApi = await ask(conversationId, q);
      check(viaApi, `answer ${i}`);
      showroomTtft.push(viaApi.tokenTimes[0] - viaApi.startedAt);
      showroomRuns.push(viaApi);
      showroomConversations.push(conversationId);
      if (viaApi.doneData?.message?.citations?.length) citedAnswers.withCitations += 1;
      const viaUpstream = await direct(q);
      check(viaUpstream, `direct ${i}`);
      directTtft.push(viaUpstream.tokenTimes[0] - viaUpstream.startedAt);
      // Retrieval alone (what the answer runs first), same question, for attribution.
      const t0 = performance.now();
      const res = await fetch(`${base}/api/v1/search`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ query: question(q), topK: 5 }) });
      await res.arrayBuffer();
      searchMs.push(performance.now() - t0);
    }
    const upstreamCalls = (await upstream.stats()).requests;
    const sequentialPhases = await phases(db, showroomRuns, showroomConversations, showroomRuns.map((_, i) => question(100 + i)), await upstream.timeline());
    await attachServer(db, showroomRuns, showroomConversations);
    const withoutModel = showroomRuns.filter((r) => !r.server?.model).length;
    if (withoutModel > 0) throw new Error(`${withoutModel} answers were given without the model (nothing relevant retrieved?)`);
    const ttft = {
      requests: SEQUENTIAL,
      warmup: WARMUP + 1,
      coldFirstAnswerTtftMs: round(coldTtftMs),
      direct: { p50Ms: pct(directTtft, 0.5), p99Ms: pct(directTtft, 0.99) },
      showroom: { p50Ms: pct(showroomTtft, 0.5), p99Ms: pct(showroomTtft, 0.99) },
      searchAlone: { p50Ms: pct(searchMs, 0.5), p99Ms: pct(searchMs, 0.99) },
      answersWithCitations: citedAnswers.withCitations,
      showroomDetail: summarise(showroomRuns, 0),
      phases: sequentialPhases,
    };
    ttft.addedP50Ms = round(ttft.showroom.p50Ms - ttft.direct.p50Ms);
    ttft.addedP99Ms = round(ttft.showroom.p99Ms - ttft.direct.p99Ms);
    ttft.ratioP50 = round(ttft.showroom.p50Ms / ttft.direct.p50Ms, 2);
    ttft.ratioP99 = round(ttft.showroom.p99Ms / ttft.direct.p99Ms, 2);
    console.error(`[chat] ttft ${JSON.stringify(ttft)}`);

    // ---- 2. concurrent streams on one api process ----
    let streamAuth = auth;
    let streamKb = `the same dealership (${CHUNKS} chunks)`;
    if (STREAM_KB === 'small') {
      const other = await registerDealership(base, 'Bench Chat Small Motors');
      await seedChunks(db, embedder, other.dealershipId, 100, 7);
      streamAuth = { authorization: `Bearer ${other.token}` };
      streamKb = 'a second dealership with 100 chunks';
    }
    const levels = [];
    const tried = new Set();
    let level = STREAMS;
    for (;;) {
      tried.add(level);
      const conversations = await inBatches(level, 25, () => newConversation(streamAuth));
      // Baseline first: the fake upstream, streamed directly by the same client, same concurrency.
      const baseline = await concurrentStreams(level, (i) => direct(20_000 + i));
      await sleep(1000);
      const before = procStatus(pid);
      const fdsBefore = openFds(pid);
      const cpuBefore = cpuSeconds(pid);
      const ownPids = new Set([(await db.query('SELECT pg_backend_pid() AS pid')).rows[0].pid, (await monitor.query('SELECT pg_backend_pid() AS pid')).rows[0].pid]);
      const postgresBefore = await backendCpu(monitor, database, ownPids);
      const upstreamBefore = await upstream.stats();
      const logFrom = fileSize(logFile);
      await upstream.timeline(); // forget the baseline's
      const { result: run, samples } = await sampled(pid, monitor, database, () =>
        concurrentStreams(level, (i) => ask(conversations[i], 20_000 + i, streamAuth)),
      );
      const cpu = cpuSeconds(pid) - cpuBefore;
      // A backend the pool opened during the burst counts whole; one it closed is missed (the pool keeps them for longer).
      const postgresCpu = [...(await backendCpu(monitor, database, ownPids))].reduce((sum, [backend, seconds]) => sum + seconds - (postgresBefore.get(backend) ?? 0), 0);
      const upstreamAfter = await upstream.stats(); // before /timeline, which restarts maxOpen
      await attachServer(db, run.results, conversations);
      const levelPhases = await phases(db, run.results, conversations, conversations.map((_, i) => question(20_000 + i)), await upstream.timeline());
      await sleep(2000);
      const after = procStatus(pid);
      const peakDb = samples.reduce((m, s) => Math.max(m, Object.values(s.db).reduce((a, b) => a + b, 0)), 0);
      const row = {
        level,
        direct: summarise(baseline.results, baseline.wallMs),
        showroom: { ...summarise(run.results, run.wallMs), phases: levelPhases },
        apiLoggedProblems: loggedProblems(logFile, logFrom),
        api: {
          rssBeforeMb: mb(before.rssKb),
          rssPeakMb: mb(Math.max(...samples.map((s) => s.rssKb), before.rssKb)),
          rssAfterMb: mb(after.rssKb),
          fdsBefore,
          fdsPeak: Math.max(...samples.map((s) => s.fds), fdsBefore),
          dbConnectionsPeak: peakDb,
          cpuSeconds: round(cpu, 1),
          cpuCoresBusy: round(cpu / (run.wallMs / 1000), 2),
          postgresCpuSeconds: round(postgresCpu, 1),
          upstreamCalls: upstreamAfter.requests - upstreamBefore.requests,
          upstreamMaxOpen: upstreamAfter.maxOpen,
        },
        timeline: samples.filter((_, i) => i % 5 === 0).map((s) => ({ s: round((s.at - samples[0].at) / 1000, 1), rssMb: mb(s.rssKb), fds: s.fds, db: s.db })),
      };
      row.showroom.addedGapP50Ms = round(row.showroom.gapP50Ms - TOKEN_DELAY_MS);
      row.showroom.addedGapP99Ms = round(row.showroom.gapP99Ms - TOKEN_DELAY_MS);
      row.direct.addedGapP50Ms = round(row.direct.gapP50Ms - TOKEN_DELAY_MS);
      row.direct.addedGapP99Ms = round(row.direct.gapP99Ms - TOKEN_DELAY_MS);
      levels.push(row);
      console.error(`[chat] level ${level}: ${JSON.stringify({ ...row, timeline: undefined })}`);
      if (row.showroom.errors === 0 || level <= 50) break;
      level = Math.floor(level / 2);
      if (tried.has(level)) break;
      await sleep(5000); // let the breaker and the pool settle
    }
    const metrics = await (await fetch(`${base}/metrics`)).text();
    const llmMetrics = metrics.split('\n').filter((l) => /^showroom_llm|^llm_/.test(l) && !l.includes('_bucket')).slice(0, 30);
    const peak = STREAMS > 0 ? procStatus(pid) : rssStart;
    return {
      machine: `${os.cpus().length} vCPU ${os.cpus()[0]?.model?.trim()}, ${round(os.totalmem() / 2 ** 30, 0)} GiB, ${process.platform} ${os.release()}, Node ${process.version}, load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} at end`,
      settings: {
        firstTokenMs: FIRST_TOKEN_MS,
        tokenDelayMs: TOKEN_DELAY_MS,
        answerWords: ANSWER_WORDS,
        chunks: CHUNKS,
        seedSeconds: round(seedMs / 1000),
        databasePoolSize: Number(POOL),
        streamsKnowledgeBase: streamKb,
        fdLimit: readFileSync(`/proc/${pid}/limits`, 'utf8').split('\n').find((l) => l.startsWith('Max open files'))?.replace(/\s+/g, ' '),
        postgresMaxConnections: (await db.query('SHOW max_connections')).rows[0].max_connections,
        apiRssAtStartMb: mb(rssStart.rssKb),
        apiRssHighWaterMb: mb(peak.hwmKb),
        upstreamCallsInTtftPart: upstreamCalls,
      },
      ttft,
      levels,
      llmMetrics,
    };
  } finally {
    agent.destroy();
    await api?.stop();
    await upstream.stop();
    await db.end();
    await monitor.end();
    await world.dispose();
  }
}

// Run directly (`node bench/chat.mjs`) as well as through bench/run.mjs.
if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await chat();
  writeFileSync('bench/results/chat.json', JSON.stringify({ at: new Date().toISOString(), ...result }, null, 2));
  console.log(JSON.stringify(result, null, 2));
  process.exit(0);
}
