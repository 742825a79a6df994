// Talking avatar (LiveAvatar LITE) on ONE api process, against fakes with fixed latency: the fake
// LLM (bench/chat-fake-upstream.mjs: first token after FIRST_TOKEN_MS, the one-sentence answer
// at once after it), a fake OpenAI speech server (first audio byte after TTS_FIRST_BYTE_MS, then
// one second of PCM16 24 kHz) and a fake LiveAvatar (token/start/keep-alive/stop and the LITE
// session WebSocket, stamping when the first `agent.speak` of each turn arrives).
//
// 1. Speak → first audio at the avatar, minus the LLM's and the TTS's fixed latency: what
//    Showroom adds (auth, session check, the question and answer rows, retrieval, prompt,
//    sentence cut, the TTS request, the socket), over BENCH_AVATAR_TURNS sequential turns.
// 2. Sessions per api process: N sessions started, then all speaking one turn at once; the
//    api's RSS, failures by status, and first-audio latency, for each N in BENCH_AVATAR_LEVELS.
//
// Knobs: BENCH_AVATAR_TURNS (40), BENCH_AVATAR_LEVELS (50,150,300), BENCH_AVATAR_FIRST_TOKEN_MS
// (200), BENCH_AVATAR_TTS_MS (100).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import { createBenchWorld, registerDealership } from './knowledge-lib.mjs';
import { machine, startProcess } from './lib.mjs';

const require = createRequire(import.meta.url);
const { Client } = require('pg');
const { WebSocketServer } = require('ws');

const TURNS = Number(process.env.BENCH_AVATAR_TURNS ?? 40);
const LEVELS = (process.env.BENCH_AVATAR_LEVELS ?? '50,150,300').split(',').map(Number);
const FIRST_TOKEN_MS = Number(process.env.BENCH_AVATAR_FIRST_TOKEN_MS ?? 200);
const TTS_MS = Number(process.env.BENCH_AVATAR_TTS_MS ?? 100);
const QUESTION = 'What does the powertrain warranty cover?';
const KNOWLEDGE = 'The powertrain warranty covers engine and transmission for five years or sixty thousand miles.';
const LA_KEY = 'bench-liveavatar-key';
const round = (x) => Math.round(x * 10) / 10;
const pct = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? round(sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]) : null;
};

/** Fake OpenAI `/v1/audio/speech`: headers and the first second of audio after TTS_MS. */
async function startTts() {
  const audio = Buffer.alloc(48_000, 1);
  const server = createServer(async (req, res) => {
    req.resume();
    await once(req, 'end');
    await sleep(TTS_MS);
    res.writeHead(200, { 'content-type': 'audio/pcm' }).end(audio);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, base: `http://127.0.0.1:${server.address().port}/v1` };
}

/** Fake LiveAvatar (LITE): `firstAudio` maps each turn (event_id) to when its first audio arrived. */
async function startLiveAvatar() {
  const sessions = new Map();
  const firstAudio = new Map();
  const wss = new WebSocketServer({ noServer: true });
  const server = createServer(async (req, res) => {
    req.resume();
    await once(req, 'end');
    const ok = (data) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 1000, data }));
    const token = (req.headers.authorization ?? '').replace('Bearer ', '');
    if (req.url === '/v1/sessions/token') {
      const id = crypto.randomUUID();
      sessions.set(id, { token: `t-${id}` });
      return ok({ session_id: id, session_token: `t-${id}` });
    }
    const id = token.slice(2);
    if (req.url === '/v1/sessions/start') return ok({ session_id: id, livekit_url: 'wss://lk.example', livekit_client_token: 'lk', ws_url: `ws://127.0.0.1:${server.address().port}/ws/${id}` });
    if (req.url === '/v1/sessions/keep-alive' || req.url === '/v1/sessions/stop') return ok({});
    res.writeHead(404).end('{}');
  });
  server.on('upgrade', (req, socket, head) =>
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on('message', (raw) => {
        const event = JSON.parse(raw.toString());
        if (event.type === 'agent.speak' && !firstAudio.has(event.event_id)) firstAudio.set(event.event_id, performance.now());
      });
      ws.send(JSON.stringify({ type: 'session.state_updated', state: 'connected' }));
    }),
  );
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, wss, base: `http://127.0.0.1:${server.address().port}`, firstAudio };
}

async function startUpstream() {
  const child = spawn(process.execPath, [new URL('./chat-fake-upstream.mjs', import.meta.url).pathname], {
    env: { ...process.env, FIRST_TOKEN_MS: String(FIRST_TOKEN_MS), TOKEN_DELAY_MS: '0', ANSWER_WORDS: '12' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  for await (const part of child.stdout) {
    out += part;
    if (out.includes('\n')) break;
  }
  return { child, base: `http://127.0.0.1:${/listening (\d+)/.exec(out)[1]}` };
}

const rssMb = (pid) => Math.round(Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024);

export async function avatar() {
  const world = await createBenchWorld('avatar');
  const [tts, liveAvatar, upstream] = [await startTts(), await startLiveAvatar(), await startUpstream()];
  const db = new Client({ connectionString: world.databaseUrl });
  await db.connect();
  const port = 3900 + Math.floor(Math.random() * 90);
  let api;
  try {
    api = await startProcess(
      `${world.dist}apps/api/apps/api/src/main.js`,
      world.env('api', {
        PORT: String(port),
        DATABASE_POOL_SIZE: '20',
        LLM_PROVIDER: 'openai',
        LLM_API_KEY: 'sk-bench',
        LLM_BASE_URL: `${upstream.base}/v1`,
        LLM_MAX_RETRIES: '0',
        VOICE_TTS_PROVIDER: 'openai',
        VOICE_OPENAI_API_KEY: 'sk-bench',
        VOICE_OPENAI_BASE_URL: tts.base,
        VOICE_SPEECH_CACHE_MAX_MB: '0', // every turn pays the TTS, as distinct answers would
        AVATAR_PROVIDER: 'liveavatar',
        LIVEAVATAR_API_KEY: LA_KEY,
        LIVEAVATAR_BASE_URL: liveAvatar.base,
        LIVEAVATAR_AVATAR_ID: 'bench',
        AVATAR_MAX_CONCURRENT_SESSIONS: '10000',
        AVATAR_MONTHLY_MINUTES: '10000000',
      }),
      '/health/ready',
    );
    const base = `http://127.0.0.1:${port}`;
    const { token, dealershipId } = await registerDealership(base, 'Bench Avatar Motors');
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const { LexicalHashEmbedder } = world.require('apps/api/libs/rag/src/embeddings/lexical-hash-embedder.js');
    const [vector] = await new LexicalHashEmbedder(Number(process.env.EMBEDDING_DIMENSIONS ?? 1024)).embed([KNOWLEDGE]);
    const [{ id: userId }] = (await db.query(`SELECT id FROM users WHERE dealership_id = $1`, [dealershipId])).rows;
    const documentId = crypto.randomUUID();
    await db.query(
      `INSERT INTO documents (id, dealership_id, title, file_name, doc_type, mime_type, size_bytes, content_sha256, blob_id, status, progress, chunk_count, created_by, searchable_generation)
       VALUES ($1, $2, 'Warranty', 'warranty.txt', 'text', 'text/plain', 0, $3, $4, 'ready', 100, 1, $5, 0)`,
      [documentId, dealershipId, crypto.randomUUID(), crypto.randomUUID(), userId],
    );
    await db.query(
      `INSERT INTO document_chunks (id, dealership_id, document_id, generation, chunk_index, text, token_count, embedding) VALUES (gen_random_uuid(), $1, $2, 0, 0, $3, 20, $4)`,
      [dealershipId, documentId, KNOWLEDGE, Buffer.from(Float32Array.from(vector).buffer)],
    );

    const startSession = async () => {
      const res = await fetch(`${base}/api/v1/avatar/sessions`, { method: 'POST', headers, body: '{}' });
      if (res.status !== 201) throw new Error(`session start answered ${res.status}: ${await res.text()}`);
      return (await res.json()).id;
    };
    /** One turn: ms from sending the request to the first audio at the avatar, or the failing status. */
    const turn = async (sessionId) => {
      const known = new Set(liveAvatar.firstAudio.keys());
      const t0 = performance.now();
      const res = await fetch(`${base}/api/v1/avatar/sessions/${sessionId}/speak`, { method: 'POST', headers, body: JSON.stringify({ content: QUESTION }) });
      const body = await res.json();
      if (res.status !== 201 || body.spoken.length === 0) return { status: res.status, code: body.error?.code ?? 'NOTHING_SPOKEN' };
      const turnId = [...liveAvatar.firstAudio.keys()].find((id) => !known.has(id) && liveAvatar.firstAudio.get(id) >= t0);
      return { status: 201, firstAudioMs: turnId ? liveAvatar.firstAudio.get(turnId) - t0 : null, totalMs: performance.now() - t0 };
    };

    // 1. sequential turns on one session
    const session = await startSession();
    for (let i = 0; i < 5; i += 1) await turn(session); // warm-up
    const sequential = [];
    for (let i = 0; i < TURNS; i += 1) sequential.push(await turn(session));
    const ok = sequential.filter((t) => t.firstAudioMs !== null && t.firstAudioMs !== undefined);
    const added = ok.map((t) => t.firstAudioMs - FIRST_TOKEN_MS - TTS_MS);
    const latency = {
      turns: TURNS,
      failed: TURNS - ok.length,
      fixedLlmFirstTokenMs: FIRST_TOKEN_MS,
      fixedTtsFirstByteMs: TTS_MS,
      firstAudioP50Ms: pct(ok.map((t) => t.firstAudioMs), 0.5),
      firstAudioP95Ms: pct(ok.map((t) => t.firstAudioMs), 0.95),
      addedP50Ms: pct(added, 0.5),
      addedP95Ms: pct(added, 0.95),
    };
    await fetch(`${base}/api/v1/avatar/sessions/${session}`, { method: 'DELETE', headers });

    // 2. N sessions on one process, all speaking at once
    const levels = [];
    for (const n of LEVELS) {
      const rssBefore = rssMb(api.child.pid);
      const ids = [];
      for (let i = 0; i < n; i += 20) ids.push(...(await Promise.all(Array.from({ length: Math.min(20, n - i) }, startSession))));
      const t0 = performance.now();
      const results = await Promise.all(ids.map(turn));
      const wallMs = performance.now() - t0;
      const failures = {};
      for (const r of results) if (r.status !== 201) failures[`${r.status} ${r.code}`] = (failures[`${r.status} ${r.code}`] ?? 0) + 1;
      const spoke = results.filter((r) => r.firstAudioMs);
      levels.push({
        sessions: n,
        spoke: spoke.length,
        failures,
        firstAudioP50Ms: pct(spoke.map((r) => r.firstAudioMs), 0.5),
        firstAudioP95Ms: pct(spoke.map((r) => r.firstAudioMs), 0.95),
        wallMs: Math.round(wallMs),
        rssBeforeMb: rssBefore,
        rssAfterMb: rssMb(api.child.pid),
      });
      await Promise.all(ids.map((id) => fetch(`${base}/api/v1/avatar/sessions/${id}`, { method: 'DELETE', headers })));
    }
    return { machine: machine(), latency, levels };
  } finally {
    await api?.stop();
    upstream.child.kill('SIGTERM');
    for (const client of liveAvatar.wss.clients) client.terminate();
    tts.server.close();
    liveAvatar.server.closeAllConnections();
    liveAvatar.server.close();
    await db.end();
    await world.dispose();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await avatar(), null, 2));
  process.exit(0);
}
