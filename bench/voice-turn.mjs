// Spoken-turn latency Showroom adds, over fake providers with fixed latencies (child processes):
// the api (from dist/) with VOICE_STT_PROVIDER=openai and VOICE_TTS_PROVIDER=openai pointing at
// bench/voice-fake-upstream.mjs (transcription after STT_MS; speech's first byte after
// TTS_FIRST_BYTE_MS) and LLM_PROVIDER=openai at bench/chat-fake-upstream.mjs (first token after
// FIRST_TOKEN_MS, then one word every TOKEN_DELAY_MS; the answer's only sentence ends with its
// last word). A worker ingests one warranty document, so chat retrieves a relevant passage and
// asks the model.
// Each simulated staff member holds one socket.io connection; a turn on it: voice.start, 1 s of PCM16 as 20 ms binary frames,
// voice.stop; measured from voice.stop to the first voice.audio frame. The providers' floor is
// STT_MS + FIRST_TOKEN_MS + (ANSWER_WORDS - 1) * TOKEN_DELAY_MS + TTS_FIRST_BYTE_MS; "added" is
// the measured time minus that floor (goal: at most 150 ms at p50). Concurrency levels
// BENCH_VOICE_CONCURRENCY (default 1,10,50), each run BENCH_VOICE_TURNS times (default 30).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { machine, startProcess } from './lib.mjs';
import { createBenchWorld, percentiles, registerDealership, upload } from './knowledge-lib.mjs';

const require = createRequire(import.meta.url);
const { io } = require('socket.io-client');

const STT_MS = 300;
const TTS_FIRST_BYTE_MS = 200;
const FIRST_TOKEN_MS = 200;
const TOKEN_DELAY_MS = 10;
const ANSWER_WORDS = 12;
const FLOOR_MS = STT_MS + FIRST_TOKEN_MS + (ANSWER_WORDS - 1) * TOKEN_DELAY_MS + TTS_FIRST_BYTE_MS;
const LEVELS = (process.env.BENCH_VOICE_CONCURRENCY ?? '1,10,50').split(',').map(Number);
const TURNS = Number(process.env.BENCH_VOICE_TURNS ?? 30);
const RATE = 24_000;
const WARRANTY = 'The powertrain warranty covers the engine, transmission and drive axles for five years or sixty thousand miles, whichever comes first.';

async function freePort() {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function child(script, env) {
  const proc = spawn(process.execPath, [new URL(script, import.meta.url).pathname], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  for await (const part of proc.stdout) {
    out += part;
    if (out.includes('\n')) break;
  }
  const port = Number(/listening (\d+)/.exec(out)?.[1]);
  if (!port) throw new Error(`${script} did not start: ${out}`);
  return { base: `http://127.0.0.1:${port}`, stop: async () => { proc.kill('SIGTERM'); await once(proc, 'exit'); } };
}

/** A steady tone: "speech" for the server's silence check (the fake recogniser ignores what it hears). */
function tone(seconds) {
  const samples = Buffer.alloc(Math.round(seconds * RATE) * 2);
  for (let i = 0; i < samples.length / 2; i += 1) samples.writeInt16LE(Math.round(8_000 * Math.sin((2 * Math.PI * 220 * i) / RATE)), i * 2);
  return samples;
}

async function connect(base, token) {
  const socket = io(base, { path: '/api/v1/ws', transports: ['websocket'], auth: { token }, reconnection: false, forceNew: true });
  await new Promise((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return socket;
}

/** One spoken turn on `socket` (one per simulated staff member); ms from voice.stop to the first audio frame and to voice.done. */
async function turn(socket, conversationId, audio) {
  const start = await socket.timeout(30_000).emitWithAck('voice.start', { conversationId, sampleRate: RATE, format: 'pcm16' });
  if (!start.ok) throw new Error(`voice.start: ${JSON.stringify(start)}`);
  let firstAudioAt;
  const listeners = {};
  const finished = new Promise((resolve, reject) => {
    listeners.audio = (frame) => {
      if (frame.turnId === start.turnId) firstAudioAt ??= performance.now();
    };
    listeners.done = (d) => {
      if (d.turnId !== start.turnId) return;
      if (d.status === 'completed' && firstAudioAt) resolve(performance.now());
      else reject(new Error(`turn ${d.status}${firstAudioAt ? '' : ' without audio'}`));
    };
    listeners.error = (e) => reject(new Error(JSON.stringify(e)));
    setTimeout(() => reject(new Error('turn timed out after 60 s')), 60_000).unref();
  });
  socket.on('voice.audio', listeners.audio);
  socket.on('voice.done', listeners.done);
  socket.on('error', listeners.error);
  try {
    for (let offset = 0; offset < audio.length; offset += 960) socket.emit('voice.audio', audio.subarray(offset, offset + 960));
    const stoppedAt = performance.now();
    await socket.timeout(30_000).emitWithAck('voice.stop', { turnId: start.turnId });
    const doneAt = await finished;
    return { firstAudioMs: firstAudioAt - stoppedAt, doneMs: doneAt - stoppedAt };
  } finally {
    socket.off('voice.audio', listeners.audio);
    socket.off('voice.done', listeners.done);
    socket.off('error', listeners.error);
  }
}

export async function voiceTurn() {
  const world = await createBenchWorld('voiceturn');
  const llm = await child('./chat-fake-upstream.mjs', { FIRST_TOKEN_MS: String(FIRST_TOKEN_MS), TOKEN_DELAY_MS: String(TOKEN_DELAY_MS), ANSWER_WORDS: String(ANSWER_WORDS) });
  const audio = await child('./voice-fake-upstream.mjs', { STT_MS: String(STT_MS), TTS_FIRST_BYTE_MS: String(TTS_FIRST_BYTE_MS) });
  let api;
  let worker;
  try {
    const [apiPort, workerPort] = [await freePort(), await freePort()];
    const providers = {
      LLM_PROVIDER: 'openai', LLM_API_KEY: 'sk-bench', LLM_BASE_URL: `${llm.base}/v1`, LLM_MODEL: 'gpt-4o-mini',
      VOICE_STT_PROVIDER: 'openai', VOICE_TTS_PROVIDER: 'openai', VOICE_OPENAI_API_KEY: 'sk-bench', VOICE_OPENAI_BASE_URL: `${audio.base}/v1`,
      VOICE_SPEECH_CACHE_MAX_MB: '0', // every turn pays for its speech, as distinct answers would
      RATE_LIMIT_WS_HANDSHAKES_PER_MINUTE: '100000', // every simulated staff member connects from this one IP
    };
    worker = await startProcess(`${world.dist}apps/worker/apps/worker/src/main.js`, world.env('w', { ...providers, WORKER_PORT: String(workerPort), PORT: String(workerPort) }), '/health/ready', 180_000);
    api = await startProcess(`${world.dist}apps/api/apps/api/src/main.js`, world.env('w', { ...providers, PORT: String(apiPort) }), '/health/ready', 180_000);
    const base = `http://127.0.0.1:${apiPort}`;
    const { token } = await registerDealership(base, 'Bench Voice Motors');
    const uploaded = await upload(base, token, Buffer.from(WARRANTY), 'warranty.txt', 'Warranty');
    for (let ready = false; !ready; await new Promise((r) => setTimeout(r, 100))) {
      ready = (await (await fetch(`${base}/api/v1/documents/${uploaded.body.id}`, { headers: { authorization: `Bearer ${token}` } })).json()).status === 'ready';
    }
    const conversation = async () => (await (await fetch(`${base}/api/v1/conversations`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}' })).json()).id;
    const speech = tone(1);
    const sockets = [];
    for (let i = 0; i < Math.max(...LEVELS); i += 1) sockets.push(await connect(base, token));
    await turn(sockets[0], await conversation(), speech); // warm-up
    const rows = [];
    for (const concurrency of LEVELS) {
      const results = [];
      const started = performance.now();
      for (let done = 0; done < Math.max(TURNS, concurrency); done += concurrency) {
        const ids = await Promise.all(Array.from({ length: concurrency }, conversation));
        results.push(...(await Promise.all(ids.map((id, i) => turn(sockets[i], id, speech)))));
      }
      const first = percentiles(results.map((r) => r.firstAudioMs));
      rows.push({
        label: `${concurrency} concurrent`,
        turns: results.length,
        firstAudioP50Ms: first.p50Ms,
        firstAudioP99Ms: first.p99Ms,
        providerFloorMs: FLOOR_MS,
        addedP50Ms: Number((first.p50Ms - FLOOR_MS).toFixed(1)),
        addedP99Ms: Number((first.p99Ms - FLOOR_MS).toFixed(1)),
        turnDoneP50Ms: percentiles(results.map((r) => r.doneMs)).p50Ms,
        wallSeconds: Number(((performance.now() - started) / 1000).toFixed(1)),
      });
    }
    sockets.forEach((socket) => socket.close());
    return { machine: machine(), floor: { STT_MS, FIRST_TOKEN_MS, TOKEN_DELAY_MS, ANSWER_WORDS, TTS_FIRST_BYTE_MS }, rows };
  } finally {
    await api?.stop();
    await worker?.stop();
    await Promise.all([llm.stop(), audio.stop()]);
    await world.dispose();
  }
}
