// A fake upstream LLM for the chat benchmark, run as its own process so its timers do not share
// an event loop with the load generator or the api: a JS equivalent of the streaming part of
// test/support/fake-openai-server.ts (OpenAI's chat-completions SSE: headers and an empty role
// chunk at once, the first content chunk after FIRST_TOKEN_MS, then one chunk per word every
// TOKEN_DELAY_MS, a finish chunk, the usage chunk when asked for, `data: [DONE]`).
//
// `node bench/chat-fake-upstream.mjs` with FIRST_TOKEN_MS, TOKEN_DELAY_MS, ANSWER_WORDS; prints
// `listening <port>` on stdout. GET /stats answers the counters (requests, completed, aborted, open, maxOpen);
// GET /timeline hands over (and forgets) the per-request stamps and restarts maxOpen.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

const FIRST_TOKEN_MS = Number(process.env.FIRST_TOKEN_MS ?? 200);
const TOKEN_DELAY_MS = Number(process.env.TOKEN_DELAY_MS ?? 20);
const ANSWER_WORDS = Number(process.env.ANSWER_WORDS ?? 50);

const VOCABULARY = 'the powertrain warranty covers engine and transmission for five years or sixty thousand miles whichever comes first while corrosion protection lasts seven years with unlimited mileage at any authorised dealer'.split(' ');
// ANSWER_WORDS words (one streamed chunk each), the last citing source [1] so citations are parsed.
const WORDS = Array.from({ length: ANSWER_WORDS - 1 }, (_, i) => VOCABULARY[i % VOCABULARY.length]).concat('[1].');
const TOKENS = WORDS.map((word, i) => (i === 0 ? word : ` ${word}`));

const stats = { requests: 0, completed: 0, aborted: 0, open: 0, maxOpen: 0 };
// Per request (when RECORD=1): the last user message, arrival, first content chunk written (epoch ms).
const timeline = [];

const server = createServer((req, res) => {
  if (req.method === 'GET' && (req.url === '/stats' || req.url === '/timeline')) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(req.url === '/stats' ? stats : timeline.splice(0)));
    if (req.url === '/timeline') stats.maxOpen = stats.open; // a new phase starts: its own peak
    return;
  }
  const arrivedAt = Date.now();
  let raw = '';
  req.setEncoding('utf8');
  req.on('data', (part) => (raw += part));
  req.on('end', () => void answer(req, res, raw, arrivedAt));
});

async function answer(req, res, raw, arrivedAt) {
  if (req.method !== 'POST' || !req.url.endsWith('/chat/completions')) {
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { message: `Unknown route ${req.method} ${req.url}`, type: 'invalid_request_error', param: null, code: null } }));
    return;
  }
  let body;
  try {
    body = JSON.parse(raw);
  } catch {
    body = {};
  }
  stats.requests += 1;
  stats.open += 1;
  stats.maxOpen = Math.max(stats.maxOpen, stats.open);
  const entry = { question: body.messages?.at(-1)?.content, arrivedAt, firstTokenAt: null };
  timeline.push(entry);
  const gone = new AbortController();
  res.once('close', () => {
    stats.open -= 1;
    if (!res.writableFinished) {
      stats.aborted += 1;
      gone.abort();
    }
  });
  const id = `chatcmpl-${randomUUID()}`;
  const created = Math.floor(Date.now() / 1000);
  const model = String(body.model ?? 'fake');
  const includeUsage = body.stream_options?.include_usage === true;
  const usageField = includeUsage ? { usage: null } : {};
  const chunk = (choices, extra = usageField) => `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices, ...extra })}\n\n`;
  try {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    res.write(chunk([{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }]));
    await sleep(FIRST_TOKEN_MS, undefined, { signal: gone.signal });
    for (const [index, token] of TOKENS.entries()) {
      if (index > 0) await sleep(TOKEN_DELAY_MS, undefined, { signal: gone.signal });
      else entry.firstTokenAt = Date.now();
      res.write(chunk([{ index: 0, delta: { content: token }, logprobs: null, finish_reason: null }]));
    }
    res.write(chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }]));
    if (includeUsage) res.write(chunk([], { usage: { prompt_tokens: 1000, completion_tokens: TOKENS.length, total_tokens: 1000 + TOKENS.length } }));
    res.end('data: [DONE]\n\n');
    stats.completed += 1;
  } catch (error) {
    if (!gone.signal.aborted) throw error;
  }
}

// A backlog well above the 1,000 simultaneous connects, so the baseline never waits on SYN retries.
server.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1', backlog: 4096 }, () => {
  process.stdout.write(`listening ${server.address().port}\n`);
});
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
