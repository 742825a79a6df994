import { randomUUID } from 'node:crypto';
import { createServer, IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A local HTTP server speaking OpenAI's chat-completions wire format, so tests and benchmarks run
 * the real `openai` SDK (or any OpenAI client) against it: a plain JSON `chat.completion`, or with
 * `stream: true` Server-Sent Events of `chat.completion.chunk` objects ending with `data: [DONE]`
 * (plus the usage chunk when `stream_options.include_usage` asks for it, as OpenAI does).
 *
 * Each request takes the next queued reply (`queue`, `failNext`) or else the default reply
 * (`reply`), so a test scripts timing and failures exactly. Every request is recorded with its
 * body and whether the client went away before the response ended.
 *
 * ```ts
 * const fake = await FakeOpenAiServer.start();
 * fake.reply({ text: 'Hello there.', tokenDelayMs: 5 }).failNext(2, 503);
 * new OpenAI({ apiKey: 'sk-test', baseURL: fake.baseUrl });
 * ...
 * await fake.close();
 * ```
 */

export interface FakeReply {
  /** The answer; streamed as one chunk per word (each word with the whitespace before the next). */
  text?: string;
  /** Pause after the headers and the opening role chunk, before the first content chunk. */
  firstTokenDelayMs?: number;
  /** Pause between content chunks. */
  tokenDelayMs?: number;
  /** Read the request and never answer (no headers); the connection stays open until the client leaves. */
  hang?: boolean;
  /** Answer with this status and an OpenAI error body instead of a completion. */
  failWith?: { status: number; message?: string; retryAfterMs?: number };
  /** Mid-stream, after `afterChunks` content chunks, send `payload` as a data line (default: cut-off JSON). */
  garbage?: { afterChunks: number; payload?: string };
  /** Usage to report; `false` leaves usage out even when the client asks for it. Default: word counts. */
  usage?: { promptTokens: number; completionTokens: number } | false;
  finishReason?: string;
  /** The `model` field of the answer; default: the requested model. */
  model?: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body (undefined when it was not JSON). */
  body: Record<string, unknown> | undefined;
  /** True when the client closed the connection before the response was complete. */
  aborted: boolean;
  /** Resolves when the exchange is over: response sent, or client gone. */
  closed: Promise<void>;
}

const DEFAULT_REPLY: FakeReply = { text: 'This is the fake model answering.' };
const GARBAGE = '{"id":"chatcmpl-broken","object":"chat.completion.chunk","choi';

export class FakeOpenAiServer {
  /** Every request received since start (or the last reset), in arrival order. */
  readonly requests: RecordedRequest[] = [];
  private defaultReply: FakeReply = DEFAULT_REPLY;
  private readonly queued: FakeReply[] = [];
  // Aborted on close() so pending pauses and hung requests end at once.
  private readonly shutdown = new AbortController();

  private constructor(
    private readonly server: Server,
    /** The SDK's `baseURL`: `http://127.0.0.1:<port>/v1`. */
    readonly baseUrl: string,
  ) {}

  static async start(): Promise<FakeOpenAiServer> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const fake = new FakeOpenAiServer(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void fake.handle(req, res));
    return fake;
  }

  /** The reply for every request that finds nothing queued (merged over the built-in default). */
  reply(reply: FakeReply): this {
    this.defaultReply = { ...DEFAULT_REPLY, ...reply };
    return this;
  }

  /** Replies for the next requests, one each, before the default reply applies again. */
  queue(...replies: FakeReply[]): this {
    this.queued.push(...replies.map((reply) => ({ ...DEFAULT_REPLY, ...reply })));
    return this;
  }

  /** The next `times` requests fail with `status` (retry-after-ms keeps SDK retries fast in tests). */
  failNext(times: number, status = 500, options: { message?: string; retryAfterMs?: number } = { retryAfterMs: 10 }): this {
    for (let i = 0; i < times; i += 1) this.queued.push({ failWith: { status, ...options } });
    return this;
  }

  /** Forgets requests and scripts: back to the default reply. */
  reset(): this {
    this.requests.length = 0;
    this.queued.length = 0;
    this.defaultReply = DEFAULT_REPLY;
    return this;
  }

  async close(): Promise<void> {
    this.shutdown.abort();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    const recorded = { method: req.method ?? 'GET', path, headers: req.headers, body: undefined, aborted: false } as RecordedRequest;
    // One signal per exchange (listened to before anything is awaited, so no close is missed):
    // pauses stop as soon as the client leaves or the server closes.
    const gone = new AbortController();
    recorded.closed = new Promise<void>((resolve) =>
      res.once('close', () => {
        recorded.aborted = !res.writableFinished;
        gone.abort();
        resolve();
      }),
    );
    this.requests.push(recorded);
    const signal = AbortSignal.any([gone.signal, this.shutdown.signal]);
    const body = (recorded.body = parseJson(await readBody(req)));

    if (req.method !== 'POST' || !path.endsWith('/chat/completions')) {
      return sendError(res, 404, `Unknown route ${req.method} ${path}`, 'invalid_request_error');
    }
    if (!body || !Array.isArray(body.messages)) return sendError(res, 400, 'messages is required', 'invalid_request_error');

    const reply = this.queued.shift() ?? this.defaultReply;
    try {
      if (reply.hang) return await sleep(2 ** 31 - 1, undefined, { signal });
      if (reply.failWith) {
        const { status, message, retryAfterMs } = reply.failWith;
        const headers: Record<string, string> = retryAfterMs === undefined ? {} : { 'retry-after-ms': String(retryAfterMs) };
        return sendError(res, status, message ?? `Scripted failure ${status}`, status >= 500 ? 'server_error' : 'invalid_request_error', headers);
      }
      const streamOptions = body.stream_options as { include_usage?: boolean } | undefined;
      if (body.stream === true) await streamCompletion(res, body, reply, streamOptions?.include_usage === true, signal);
      else await sendCompletion(res, body, reply, signal);
    } catch (error) {
      // A pause cut short because the client left (or the server closed): nothing left to answer.
      if (!signal.aborted) throw error;
    }
  }
}

/** Words with their following whitespace, so the chunks join back to exactly `text`. */
export function splitIntoTokens(text: string): string[] {
  return text.match(/\s*\S+\s*/g) ?? [];
}

function completionShape(body: Record<string, unknown>, reply: FakeReply) {
  const tokens = splitIntoTokens(reply.text ?? '');
  const prompt = (body.messages as { content?: unknown }[]).map((m) => (typeof m.content === 'string' ? m.content : '')).join(' ');
  const usage =
    reply.usage === false
      ? undefined
      : (reply.usage ?? { promptTokens: splitIntoTokens(prompt).length, completionTokens: tokens.length });
  return {
    id: `chatcmpl-${randomUUID()}`,
    created: Math.floor(Date.now() / 1000),
    model: reply.model ?? String(body.model),
    tokens,
    finishReason: reply.finishReason ?? 'stop',
    usage: usage && { prompt_tokens: usage.promptTokens, completion_tokens: usage.completionTokens, total_tokens: usage.promptTokens + usage.completionTokens },
  };
}

async function sendCompletion(res: ServerResponse, body: Record<string, unknown>, reply: FakeReply, signal: AbortSignal): Promise<void> {
  const shape = completionShape(body, reply);
  if (reply.firstTokenDelayMs) await sleep(reply.firstTokenDelayMs, undefined, { signal });
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(
    JSON.stringify({
      id: shape.id,
      object: 'chat.completion',
      created: shape.created,
      model: shape.model,
      choices: [{ index: 0, message: { role: 'assistant', content: shape.tokens.join(''), refusal: null }, logprobs: null, finish_reason: shape.finishReason }],
      ...(shape.usage ? { usage: shape.usage } : {}),
    }),
  );
}

async function streamCompletion(
  res: ServerResponse,
  body: Record<string, unknown>,
  reply: FakeReply,
  includeUsage: boolean,
  signal: AbortSignal,
): Promise<void> {
  const shape = completionShape(body, reply);
  const chunk = (choices: unknown[], usage?: unknown) =>
    `data: ${JSON.stringify({ id: shape.id, object: 'chat.completion.chunk', created: shape.created, model: shape.model, choices, ...(usage !== undefined ? { usage } : {}) })}\n\n`;
  // Usage is null on every chunk but the last when the client asked for it, as OpenAI sends it.
  const usageField = includeUsage ? null : undefined;

  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  // OpenAI opens with an empty role chunk right away; the first *text* comes later.
  res.write(chunk([{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }], usageField));
  if (reply.firstTokenDelayMs) await sleep(reply.firstTokenDelayMs, undefined, { signal });
  for (const [index, token] of shape.tokens.entries()) {
    if (index > 0 && reply.tokenDelayMs) await sleep(reply.tokenDelayMs, undefined, { signal });
    if (signal.aborted) return;
    if (reply.garbage?.afterChunks === index) res.write(`data: ${reply.garbage.payload ?? GARBAGE}\n\n`);
    res.write(chunk([{ index: 0, delta: { content: token }, logprobs: null, finish_reason: null }], usageField));
  }
  if (reply.garbage && reply.garbage.afterChunks >= shape.tokens.length) res.write(`data: ${reply.garbage.payload ?? GARBAGE}\n\n`);
  res.write(chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: shape.finishReason }], usageField));
  if (includeUsage && shape.usage) res.write(chunk([], shape.usage));
  res.end('data: [DONE]\n\n');
}

function sendError(res: ServerResponse, status: number, message: string, type: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ error: { message, type, param: null, code: null } }));
}

function parseJson(raw: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(raw) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (part: string) => (raw += part));
    req.on('end', () => resolve(raw));
    req.on('error', reject);
  });
}

/** Config that points the api's LLM port at this fake (the real `openai` SDK talks to it). */
export function fakeLlmEnv(fake: FakeOpenAiServer): Record<string, string> {
  return { LLM_PROVIDER: 'openai', LLM_API_KEY: 'sk-fake', LLM_BASE_URL: fake.baseUrl, LLM_MODEL: 'gpt-4o-mini' };
}
