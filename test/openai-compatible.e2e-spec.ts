import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import OpenAI, { APIError, AuthenticationError, BadRequestError, InternalServerError, NotFoundError, RateLimitError } from 'openai';
import request from 'supertest';
import { createApiApp } from '../apps/api/src/create-api-app';
import { createWorkerApp } from '../apps/worker/src/create-worker-app';
import { Session, bearer, registerDealership } from './support/auth-helpers';
import { FakeOpenAiServer, fakeLlmEnv } from './support/fake-openai-server';
import { TestContext } from './support/test-context';
import { waitFor } from './support/wait-for';

const WARRANTY = `# Warranty

## Powertrain

The powertrain warranty covers the engine and transmission for five years or 60,000 miles.
`;
const BETA_SECRET = 'Beta Motors gives a lifetime powertrain warranty on certified used cars.';
const QUESTION = 'How long is the powertrain warranty?';
const MODEL = 'showroom-assistant';
const LONG_ANSWER = 'The powertrain warranty lasts five years [1]. '.repeat(40);

type UsageReport = { items: { model: string; requests: number; inputTokens: number; outputTokens: number }[] };

/**
 * The OpenAI-compatible endpoint driven by the official `openai` SDK, as Open WebUI or any
 * integration would: real api, worker, Postgres and Redis; the upstream LLM is a fake OpenAI.
 */
describe('OpenAI-compatible endpoint (/v1)', () => {
  let ctx: TestContext;
  let fake: FakeOpenAiServer;
  let worker: INestApplication;
  let api: NestExpressApplication;
  let localApi: NestExpressApplication;
  let limitedApi: NestExpressApplication;
  let alpha: Session;
  let beta: Session;
  let alphaKey: string;
  let betaKey: string;

  beforeAll(async () => {
    fake = await FakeOpenAiServer.start();
    ctx = await TestContext.create();
    const shared = { CHAT_MESSAGE_MAX_CHARS: '500', WORKER_QUEUES: 'ingestion,embeddings', RATE_LIMIT_USER_PER_MINUTE: '10000', RATE_LIMIT_USER_PER_SECOND: '1000' };
    const config = ctx.config({
      ...shared,
      ...fakeLlmEnv(fake),
      LLM_FIRST_TOKEN_TIMEOUT_MS: '700',
      LLM_MAX_RETRIES: '0',
    });
    worker = await createWorkerApp(config);
    api = await createApiApp(config);
    // The local default (no LLM settings, no keys) and a tightly rate-limited api, on the same database.
    localApi = await createApiApp(ctx.config(shared));
    limitedApi = await createApiApp(ctx.config({ ...shared, RATE_LIMIT_USER_PER_MINUTE: '2' }));
    await worker.init();
    await Promise.all([api, localApi, limitedApi].map((app) => app.listen(0, '127.0.0.1')));
    alpha = await registerDealership(api, 'Alpha Compat Motors');
    beta = await registerDealership(api, 'Beta Compat Motors');
    alphaKey = await createKey(alpha);
    betaKey = await createKey(beta);
    await upload(alpha, WARRANTY, 'warranty.md');
    await upload(beta, BETA_SECRET, 'beta.txt');
  });

  afterAll(async () => {
    await Promise.all([api?.close(), localApi?.close(), limitedApi?.close(), worker?.close()]);
    await ctx?.dispose();
    await fake?.close();
  });

  beforeEach(() => fake.reset());

  const http = () => request(api.getHttpServer());

  async function createKey(session: Session): Promise<string> {
    return (await http().post('/api/v1/api-keys').set(bearer(session.accessToken)).send({ name: 'Open WebUI' }).expect(201)).body.key;
  }

  async function upload(session: Session, text: string, name: string): Promise<void> {
    const res = await http().post('/api/v1/documents').set(bearer(session.accessToken)).attach('file', Buffer.from(text), name).expect(202);
    await waitFor(`${name} ready`, async () => (await http().get(`/api/v1/documents/${res.body.id}`).set(bearer(session.accessToken))).body.status === 'ready');
  }

  /** The official client, pointed at an api instance as `baseURL: <api>/v1`. No retries: each test sees exactly one call. */
  async function client(apiKey: string, app: NestExpressApplication = api): Promise<OpenAI> {
    return new OpenAI({ apiKey, baseURL: `${await app.getUrl()}/v1`, maxRetries: 0 });
  }

  const ask = (content: string) => [{ role: 'user' as const, content }];

  async function usageOf(session: Session, model: string) {
    const report = (await http().get('/api/v1/usage').set(bearer(session.accessToken)).expect(200)).body as UsageReport;
    return report.items.find((item) => item.model === model) ?? { requests: 0, inputTokens: 0, outputTokens: 0 };
  }

  async function failure(promise: Promise<unknown>): Promise<APIError> {
    try {
      await promise;
    } catch (error) {
      return error as APIError;
    }
    throw new Error('expected the call to fail');
  }

  it('lists one model, and retrieves it by id', async () => {
    const openai = await client(alphaKey);
    const models = [];
    for await (const model of openai.models.list()) models.push(model);
    expect(models).toEqual([{ id: MODEL, object: 'model', created: expect.any(Number), owned_by: 'showroom' }]);
    expect((await openai.models.retrieve(MODEL)).id).toBe(MODEL);
    expect(await failure(openai.models.retrieve('gpt-4o'))).toBeInstanceOf(NotFoundError);
  });

  it("answers a non-streaming completion in OpenAI's exact shape, grounded in the key's dealership knowledge", async () => {
    fake.reply({ text: 'Five years or 60,000 miles [1].', usage: { promptTokens: 321, completionTokens: 9 } });
    const before = await usageOf(alpha, 'gpt-4o-mini');
    const openai = await client(alphaKey);
    const completion = await openai.chat.completions.create({
      model: MODEL,
      messages: [
        { role: 'system', content: 'Always answer in one sentence.' },
        { role: 'user', content: 'Hello' },
        { role: 'assistant', content: 'Hi! How can I help?' },
        { role: 'user', content: [{ type: 'text', text: QUESTION }] },
      ],
    });
    expect(completion).toEqual({
      id: expect.stringMatching(/^chatcmpl-[0-9a-f]{32}$/),
      object: 'chat.completion',
      created: expect.any(Number),
      model: MODEL,
      choices: [{ index: 0, message: { role: 'assistant', content: 'Five years or 60,000 miles [1].', refusal: null, annotations: [] }, logprobs: null, finish_reason: 'stop' }],
      usage: { prompt_tokens: 321, completion_tokens: 9, total_tokens: 330 },
      showroom: {
        upstream_model: 'gpt-4o-mini',
        citations: [{ document_id: expect.any(String), document_title: 'warranty.md', chunk_id: expect.any(String), page: null, snippet: expect.stringContaining('60,000 miles') }],
      },
    });
    expect(Math.abs(completion.created - Date.now() / 1000)).toBeLessThan(60);
    // What the upstream model was given: the dealership's prompt with the client's instruction after it, the history, the retrieved passage.
    const sent = fake.requests[0].body as { model: string; messages: { role: string; content: string }[] };
    expect(sent.model).toBe('gpt-4o-mini');
    expect(sent.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(sent.messages[0].content).toMatch(/assistant of a car dealership[\s\S]*Always answer in one sentence\.[\s\S]*Rules:/);
    expect(sent.messages[2].content).toBe('Hi! How can I help?');
    expect(sent.messages[3].content).toContain('60,000 miles');
    expect(sent.messages[3].content).toContain(QUESTION);
    // Usage counted for the dealership and day, with the upstream's token counts.
    const after = await usageOf(alpha, 'gpt-4o-mini');
    expect([after.requests - before.requests, after.inputTokens - before.inputTokens, after.outputTokens - before.outputTokens]).toEqual([1, 321, 9]);
  });

  it('streams chat.completion.chunk objects: role first, content, finish_reason, then the usage chunk', async () => {
    fake.reply({ text: 'The warranty lasts five years [1].', tokenDelayMs: 5, usage: { promptTokens: 200, completionTokens: 7 } });
    const openai = await client(alphaKey);
    const stream = await openai.chat.completions.create({ model: MODEL, messages: ask(QUESTION), stream: true, stream_options: { include_usage: true } });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(new Set(chunks.map((c) => `${c.id} ${c.object} ${c.model} ${c.created}`)).size).toBe(1);
    expect(chunks[0]).toMatchObject({ id: expect.stringMatching(/^chatcmpl-/), object: 'chat.completion.chunk', model: MODEL, usage: null });
    expect(chunks[0].choices).toEqual([{ index: 0, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null }]);
    const content = chunks.flatMap((c) => c.choices.map((choice) => choice.delta.content ?? '')).join('');
    expect(content).toBe('The warranty lasts five years [1].');
    const [finishing, usage] = chunks.slice(-2);
    expect(finishing.choices).toEqual([{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }]);
    expect(finishing).toMatchObject({ usage: null, showroom: { upstream_model: 'gpt-4o-mini', citations: [expect.objectContaining({ document_title: 'warranty.md' })] } });
    expect(usage).toMatchObject({ choices: [], usage: { prompt_tokens: 200, completion_tokens: 7, total_tokens: 207 } });
    expect(chunks.slice(1, -2).every((c) => c.choices[0].finish_reason === null && c.usage === null)).toBe(true);
  });

  it('ends a stream with data: [DONE], and sends no usage fields unless asked', async () => {
    fake.reply({ text: 'Five years [1].' });
    const res = await fetch(`${await api.getUrl()}/v1/chat/completions`, {
      method: 'POST',
      headers: { ...bearer(alphaKey), 'content-type': 'application/json' },
      body: JSON.stringify({ model: MODEL, messages: ask(QUESTION), stream: true }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const lines = (await res.text()).split('\n\n').filter(Boolean);
    expect(lines.at(-1)).toBe('data: [DONE]');
    const chunks = lines.slice(0, -1).map((line) => JSON.parse(line.replace(/^data: /, '')));
    expect(chunks.some((c) => 'usage' in c)).toBe(false);
    expect(chunks.at(-1).choices[0].finish_reason).toBe('stop');
  });

  it("never uses another dealership's knowledge", async () => {
    fake.reply({ text: 'A lifetime warranty [1].' });
    const openai = await client(betaKey);
    const completion = await openai.chat.completions.create({ model: MODEL, messages: ask('How many miles does the powertrain warranty cover?') });
    expect(completion.choices[0].message.content).toBe('A lifetime warranty [1].');
    const prompt = JSON.stringify(fake.requests[0].body);
    expect(prompt).toContain('lifetime powertrain warranty');
    expect(prompt).not.toContain('60,000 miles');
  });

  it("says it does not know, without calling a model or counting usage, when the dealership's knowledge has nothing relevant", async () => {
    const before = await usageOf(alpha, 'gpt-4o-mini');
    const completion = await (await client(alphaKey)).chat.completions.create({ model: MODEL, messages: ask('zebra xylophone quasar nebula') });
    expect(completion.choices[0]).toMatchObject({ message: { content: expect.stringMatching(/don't know/i) }, finish_reason: 'stop' });
    expect(completion).toMatchObject({ usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 }, showroom: { upstream_model: null, citations: [] } });
    expect(fake.requests).toHaveLength(0);
    expect((await usageOf(alpha, 'gpt-4o-mini')).requests).toBe(before.requests);
  });

  it("answers with the local default (no LLM keys) through the SDK too, from the dealership's passages", async () => {
    const before = await usageOf(alpha, 'local-extractive');
    const openai = await client(alphaKey, localApi);
    const completion = await openai.chat.completions.create({ model: MODEL, messages: ask(QUESTION) });
    expect(completion.choices[0].message.content).toContain('60,000 miles');
    expect(completion).toMatchObject({ model: MODEL, showroom: { upstream_model: 'local-extractive' } });
    const stream = await openai.chat.completions.create({ model: MODEL, messages: ask(QUESTION), stream: true });
    let streamed = '';
    for await (const chunk of stream) streamed += chunk.choices[0]?.delta.content ?? '';
    expect(streamed).toBe(completion.choices[0].message.content);
    expect(fake.requests).toHaveLength(0);
    expect((await usageOf(alpha, 'local-extractive')).requests).toBe(before.requests + 2);
  });

  it("accepts a signed-in user's access token as well as an API key", async () => {
    fake.reply({ text: 'Five years [1].' });
    const completion = await (await client(alpha.accessToken)).chat.completions.create({ model: MODEL, messages: ask(QUESTION) });
    expect(completion.choices[0].message.content).toBe('Five years [1].');
  });

  it("refuses a bad key, an unknown model and an invalid body with the SDK's error classes and OpenAI's error body", async () => {
    const bad = await failure((await client('shr_0123456789ab_not-a-real-secret')).chat.completions.create({ model: MODEL, messages: ask(QUESTION) }));
    expect(bad).toBeInstanceOf(AuthenticationError);
    expect(bad.error).toEqual({ message: expect.any(String), type: 'invalid_request_error', param: null, code: 'invalid_api_key' });
    expect(await failure((await client('shr_0123456789ab_x')).models.list())).toBeInstanceOf(AuthenticationError);

    const openai = await client(alphaKey);
    const unknown = await failure(openai.chat.completions.create({ model: 'gpt-4o', messages: ask(QUESTION) }));
    expect(unknown).toBeInstanceOf(NotFoundError);
    expect(unknown).toMatchObject({ status: 404, code: 'model_not_found', type: 'invalid_request_error', param: 'model' });

    const empty = await failure(openai.chat.completions.create({ model: MODEL, messages: [] }));
    expect(empty).toBeInstanceOf(BadRequestError);
    expect(empty).toMatchObject({ status: 400, type: 'invalid_request_error', param: 'messages' });
    const tooLong = await failure(openai.chat.completions.create({ model: MODEL, messages: ask('x'.repeat(501)) }));
    expect(tooLong).toMatchObject({ status: 400, code: 'string_above_max_length', param: 'messages[0].content' });
    const image = await failure(openai.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://x.example/a.png' } }] }] }));
    expect(image).toBeInstanceOf(BadRequestError);
    const role = await failure(openai.chat.completions.create({ model: MODEL, messages: [{ role: 'wizard', content: 'hi' }] as never }));
    expect(role).toMatchObject({ status: 400, param: 'messages[0].role' });
    expect(fake.requests).toHaveLength(0);
  });

  it('answers 429 in OpenAI terms, with Retry-After, when the key is over its rate limit', async () => {
    const key = await createKey(alpha);
    const openai = await client(key, limitedApi);
    await openai.models.list();
    await openai.models.list();
    const limited = await failure(openai.models.list());
    expect(limited).toBeInstanceOf(RateLimitError);
    expect(limited).toMatchObject({ status: 429, type: 'requests', code: 'rate_limit_exceeded' });
    expect(Number(limited.headers?.get('retry-after'))).toBeGreaterThan(0);
  });

  it('answers an upstream failure before the first token with its HTTP status (504 timeout, 502 bad upstream)', async () => {
    const openai = await client(alphaKey);
    fake.queue({ text: 'too late', firstTokenDelayMs: 3_000 });
    const timeout = await failure(openai.chat.completions.create({ model: MODEL, messages: ask(QUESTION), stream: true }));
    expect(timeout).toBeInstanceOf(InternalServerError);
    expect(timeout).toMatchObject({ status: 504, type: 'server_error', code: 'llm_timeout' });
    fake.failNext(1, 500);
    const upstream = await failure(openai.chat.completions.create({ model: MODEL, messages: ask(QUESTION) }));
    expect(upstream).toMatchObject({ status: 502, type: 'server_error', code: 'llm_bad_response' });
  });

  it('ends a stream that fails midway with an OpenAI error data line, after the text already sent', async () => {
    fake.reply({ text: 'Five years [1] and then more words', garbage: { afterChunks: 2 } });
    const stream = await (await client(alphaKey)).chat.completions.create({ model: MODEL, messages: ask(QUESTION), stream: true });
    let text = '';
    const error = await failure(
      (async () => {
        for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
      })(),
    );
    expect(error).toBeInstanceOf(APIError);
    expect(error.error).toMatchObject({ type: 'server_error', code: 'llm_bad_response' });
    expect(text).toBe('Five years ');
  });

  it('aborts the upstream LLM call when the client goes away, streaming or not', async () => {
    fake.reply({ text: LONG_ANSWER, tokenDelayMs: 20 });
    const openai = await client(alphaKey);
    const stream = await openai.chat.completions.create({ model: MODEL, messages: ask(QUESTION), stream: true });
    let seen = 0;
    for await (const chunk of stream) {
      seen += chunk.choices.length;
      if (seen >= 3) break; // the SDK aborts its request on break
    }
    await waitFor('streaming upstream aborted', async () => fake.requests[0]?.aborted === true, 5_000);

    const gone = new AbortController();
    const pending = openai.chat.completions.create({ model: MODEL, messages: ask(QUESTION) }, { signal: gone.signal });
    await waitFor('second upstream call started', async () => fake.requests.length === 2, 5_000);
    gone.abort();
    await expect(pending).rejects.toThrow();
    await waitFor('non-streaming upstream aborted', async () => fake.requests[1].aborted === true, 5_000);
  });

  it('is served at /v1 only: the other routes keep the /api/v1 prefix', async () => {
    const prefixed = await http().post('/api/v1/chat/completions').set(bearer(alphaKey)).send({ model: MODEL, messages: ask(QUESTION) }).expect(404);
    expect(prefixed.body.error).toMatchObject({ code: 'NOT_FOUND' });
    await http().get('/api/v1/models').set(bearer(alphaKey)).expect(404);
    await http().get('/conversations').set(bearer(alpha.accessToken)).expect(404);
    await http().get('/v1/conversations').set(bearer(alpha.accessToken)).expect(404);
    await http().get('/api/v1/conversations').set(bearer(alpha.accessToken)).expect(200);
    await http().get('/api/v1/usage').set(bearer(alpha.accessToken)).expect(200);
    await http().get('/health/live').expect(200);
  });
});
