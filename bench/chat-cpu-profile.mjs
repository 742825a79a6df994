// Where an api's CPU went during the chat benchmark, from the V8 profile that
// `BENCH_CHAT_CPU_PROF=<dir> npm run bench -- chat` leaves: samples grouped by what the answer
// was doing (the first rule whose pattern matches a frame of the sample's stack wins).
//
//   npx node bench/chat-cpu-profile.mjs <file.cpuprofile>            busy ms per 2 s window (find the burst)
//   npx node bench/chat-cpu-profile.mjs <file.cpuprofile> <from> <to> the groups within those seconds
//
// The profiler samples wall-clock time of the main thread, so on a loaded machine a syscall
// (writev) also collects the time the thread waited to be scheduled again.
import { readFileSync } from 'node:fs';

const RULES = [
  ['stream: SSE write to the client', /connectionCorkNT|sse-stream/],
  ['stream: answer journal (Redis)', /answer-journal|Pipeline\.js/],
  ['stream: upstream parse (openai SDK, undici body)', /iterSSE|openai\/core\/streaming|normalizedChunks|webstreams|onStreamRead|parts@|LineDecoder|consume@/],
  ['start: retrieval (libs/rag)', /libs\/rag\/src\/search/],
  ['start: prompt (gpt-tokenizer)', /build-prompt|gpt-tokenizer/],
  ['start: auth guard and rate limit', /canActivate|rate-limiter|Script\.js|jwt|passport/],
  ['start: HTTP pipeline (body-parser, Nest, pino, Express, metrics)', /body-parser|pino|@nestjs\/core|express|router|helmet|prom-client|http-metrics/],
  ['start: upstream request (openai SDK, undici fetch)', /openai|undici/],
  ['database driver (TypeORM, pg)', /typeorm|\/pg\/|pg-protocol|pg-pool|postgres-/],
  ['garbage collector', /garbage collector/],
];

const [file, fromArg, toArg] = process.argv.slice(2);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
const stackOf = (id) => {
  const frames = [];
  for (let at = id; at !== undefined; at = parent.get(at)) {
    const frame = nodes.get(at).callFrame;
    frames.push(`${frame.functionName}@${frame.url}:${frame.lineNumber}`);
  }
  return frames.join(' ');
};

let clock = 0;
const groups = new Map();
let busy = 0;
for (let i = 0; i < profile.samples.length; i += 1) {
  clock += profile.timeDeltas[i];
  const seconds = clock / 1e6;
  const spent = profile.timeDeltas[i + 1] ?? 0;
  if (nodes.get(profile.samples[i]).callFrame.functionName === '(idle)') continue;
  if (fromArg === undefined) {
    const window = Math.floor(seconds / 2) * 2;
    groups.set(window, (groups.get(window) ?? 0) + spent);
    continue;
  }
  if (seconds < Number(fromArg) || seconds > Number(toArg)) continue;
  busy += spent;
  const stack = stackOf(profile.samples[i]);
  const group = RULES.find(([, pattern]) => pattern.test(stack))?.[0] ?? 'other';
  groups.set(group, (groups.get(group) ?? 0) + spent);
}
if (fromArg === undefined) {
  for (const [window, us] of [...groups].sort((a, b) => a[0] - b[0])) console.log(`${String(window).padStart(5)} s  ${'#'.repeat(Math.round(us / 1e5)).padEnd(20)} ${(us / 1000).toFixed(0)} ms busy`);
} else {
  console.log(`busy ${(busy / 1e6).toFixed(1)} s between ${fromArg} s and ${toArg} s`);
  for (const [group, us] of [...groups].sort((a, b) => b[1] - a[1])) console.log(`${(us / 1000).toFixed(0).padStart(7)} ms ${((100 * us) / busy).toFixed(1).padStart(5)}%  ${group}`);
}
