import { AppException } from '@showroom/core';
import { createServer } from 'node:net';
import { FakeOpenAiServer } from '../../../../test/support/fake-openai-server';
import { isLlmAbort } from './llm-errors';
import type { LlmEvent, LlmPort, LlmRequest } from './llm.port';
import { OpenAiChatLlm, type OpenAiChatLlmOptions } from './openai-chat-llm';
import { countMessageTokens, countTextTokens } from './token-count';

/** The real `openai` SDK against a local server speaking OpenAI's streaming wire format. */
describe('OpenAiChatLlm', () => {
  let fake: FakeOpenAiServer;

  beforeAll(async () => {
    fake = await FakeOpenAiServer.start();
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  const llm = (options: Partial<OpenAiChatLlmOptions> = {}) =>
    new OpenAiChatLlm({
      apiKey: 'sk-test-key',
      baseUrl: fake.baseUrl,
      model: 'gpt-4o-mini',
      firstTokenTimeoutMs: 5_000,
      totalTimeoutMs: 10_000,
      maxRetries: 2,
      ...options,
    });

  const request = (overrides: Partial<LlmRequest> = {}): LlmRequest => ({
    messages: [
      { role: 'system', content: 'Answer from the sources.' },
      { role: 'user', content: 'Sources: [1] Warranty: five years.\n\nQuestion: How long is the warranty?' },
    ],
    sources: [],
    question: 'How long is the warranty?',
    maxOutputTokens: 300,
    signal: new AbortController().signal,
    ...overrides,
  });

  it('streams the answer as deltas, then done with the usage the provider reported', async () => {
    // Tokens 5 ms apart arrive in separate reads (what one read brings at once is one delta).
    fake.reply({ text: 'The warranty lasts five years [1].', tokenDelayMs: 5, usage: { promptTokens: 42, completionTokens: 9 } });
    const { deltas, done, error } = await collect(llm(), request());
    expect(error).toBeUndefined();
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe('The warranty lasts five years [1].');
    expect(done).toEqual({ type: 'done', model: 'gpt-4o-mini', finishReason: 'stop', usage: { inputTokens: 42, outputTokens: 9 } });
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0].headers.authorization).toBe('Bearer sk-test-key');
    expect(fake.requests[0].body).toMatchObject({
      model: 'gpt-4o-mini',
      stream: true,
      stream_options: { include_usage: true },
      max_completion_tokens: 300,
      messages: request().messages,
    });
  });

  it('reads the stream at most every readIntervalMs after the first text, passing on what one read brought as one delta; the first not held back', async () => {
    fake.reply({ text: 'The warranty lasts five years on every new car [1].', tokenDelayMs: 5, usage: { promptTokens: 42, completionTokens: 12 } });
    const started = performance.now();
    const events: { event: LlmEvent; at: number }[] = [];
    for await (const event of llm({ readIntervalMs: 4_000 }).stream(request())) events.push({ event, at: performance.now() - started });
    const deltas = events.filter((e) => e.event.type === 'delta');
    expect(deltas.map((e) => (e.event as { text: string }).text).join('')).toBe('The warranty lasts five years on every new car [1].');
    expect(events.at(-1)?.event).toMatchObject({ type: 'done', finishReason: 'stop', usage: { inputTokens: 42, outputTokens: 12 } });
    // The whole answer arrives within ~60 ms. The first text is passed on as soon as it is read
    // (well within half the interval even on a loaded machine; held back by a tick, it would come
    // 4 s late); the next read waits for the 4 s tick that starts then and takes the rest,
    // the upstream's many deltas as one (a loaded machine delays a tick, never shortens it).
    expect(deltas[0].at).toBeLessThan(2_000);
    expect(deltas[1].at - deltas[0].at).toBeGreaterThanOrEqual(3_000);
    expect(deltas).toHaveLength(2);
  });

  it('counts tokens itself when the provider sends no usage', async () => {
    fake.reply({ text: 'Five years, or 100,000 km.', usage: false, finishReason: 'length' });
    const req = request();
    const { done } = await collect(llm(), req);
    expect(done).toMatchObject({
      finishReason: 'length',
      usage: { inputTokens: countMessageTokens(req.messages), outputTokens: countTextTokens('Five years, or 100,000 km.') },
    });
    expect((done as { usage: { inputTokens: number } }).usage.inputTokens).toBeGreaterThan(10);
  });

  it('fails with LLM_TIMEOUT when no text comes within the first-token limit, and cancels the upstream call', async () => {
    fake.reply({ firstTokenDelayMs: 3_000 });
    const started = Date.now();
    const { deltas, error } = await collect(llm({ firstTokenTimeoutMs: 300 }), request());
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(deltas).toEqual([]);
    expectAppError(error, 504, 'LLM_TIMEOUT');
    await fake.requests[0].closed;
    expect(fake.requests[0].aborted).toBe(true);
  });

  it('fails with LLM_TIMEOUT when the provider never answers at all', async () => {
    fake.reply({ hang: true });
    const { error } = await collect(llm({ firstTokenTimeoutMs: 300 }), request());
    expectAppError(error, 504, 'LLM_TIMEOUT');
  });

  it('fails with LLM_TIMEOUT when the whole answer overruns the total limit, after the text already sent', async () => {
    fake.reply({ text: 'one two three four five six seven eight nine ten eleven twelve', tokenDelayMs: 100 });
    const { deltas, error } = await collect(llm({ totalTimeoutMs: 450 }), request());
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.length).toBeLessThan(12);
    expectAppError(error, 504, 'LLM_TIMEOUT');
    expect(fake.requests).toHaveLength(1);
  });

  it('lets an answer run past the first-token limit once its text flows', async () => {
    fake.reply({ text: 'one two three four five six seven eight', tokenDelayMs: 60 });
    const { deltas, done, error } = await collect(llm({ firstTokenTimeoutMs: 200 }), request());
    expect(error).toBeUndefined();
    expect(deltas).toHaveLength(8);
    expect(done).toMatchObject({ type: 'done', finishReason: 'stop' });
  });

  it('retries failures before the first token (fails twice, then answers)', async () => {
    fake.reply({ text: 'Recovered answer.' }).failNext(2, 500);
    const { deltas, done, error } = await collect(llm({ maxRetries: 2 }), request());
    expect(error).toBeUndefined();
    expect(deltas.join('')).toBe('Recovered answer.');
    expect(done).toMatchObject({ type: 'done', finishReason: 'stop' });
    expect(fake.requests).toHaveLength(3);
  });

  it('gives up with LLM_BAD_RESPONSE when the provider keeps answering 5xx through the retries', async () => {
    fake.failNext(5, 502);
    const { error } = await collect(llm({ maxRetries: 1 }), request());
    expectAppError(error, 502, 'LLM_BAD_RESPONSE');
    expect(fake.requests).toHaveLength(2);
  });

  it('never retries once text went out: garbage mid-stream is LLM_BAD_RESPONSE after one request', async () => {
    fake.reply({ text: 'Alpha beta gamma delta epsilon.', garbage: { afterChunks: 2 } });
    const { deltas, error } = await collect(llm({ maxRetries: 3 }), request());
    // The two good chunks came in the same read as the garbage: their text still goes out first.
    expect(deltas.join('')).toBe('Alpha beta ');
    expectAppError(error, 502, 'LLM_BAD_RESPONSE');
    expect(fake.requests).toHaveLength(1);
  });

  it('treats a well-formed JSON chunk of the wrong shape as LLM_BAD_RESPONSE', async () => {
    fake.reply({ text: 'Alpha beta gamma.', garbage: { afterChunks: 1, payload: '{"choices":"not a list"}' } });
    const { deltas, error } = await collect(llm(), request());
    expect(deltas).toEqual(['Alpha ']);
    expectAppError(error, 502, 'LLM_BAD_RESPONSE');
    expect(fake.requests).toHaveLength(1);
  });

  it('cancels the upstream request when the caller aborts mid-answer, and ends with an AbortError', async () => {
    fake.reply({ text: 'one two three four five six seven eight nine ten', tokenDelayMs: 100 });
    const controller = new AbortController();
    const { deltas, error } = await collect(llm(), request({ signal: controller.signal }), () => controller.abort());
    expect(deltas).toHaveLength(1);
    expect(isLlmAbort(error)).toBe(true);
    expect(error).not.toBeInstanceOf(AppException);
    await fake.requests[0].closed;
    expect(fake.requests[0].aborted).toBe(true);
  });

  it('cancels the upstream request when the caller aborts before any text', async () => {
    fake.reply({ hang: true });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const { error } = await collect(llm(), request({ signal: controller.signal }));
    expect(isLlmAbort(error)).toBe(true);
    await fake.requests[0].closed;
    expect(fake.requests[0].aborted).toBe(true);
  });

  it('cancels the upstream request when the consumer stops reading', async () => {
    fake.reply({ text: 'one two three four five six', tokenDelayMs: 100 });
    for await (const event of llm().stream(request())) {
      expect(event.type).toBe('delta');
      break;
    }
    await fake.requests[0].closed;
    expect(fake.requests[0].aborted).toBe(true);
  });

  it('answers PROVIDER_UNAVAILABLE when nothing listens at the base URL', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const { error } = await collect(llm({ baseUrl: `http://127.0.0.1:${closedPort}/v1`, maxRetries: 0 }), request());
    expectAppError(error, 503, 'PROVIDER_UNAVAILABLE');
  });

  it('opens the circuit after repeated failures, then answers PROVIDER_UNAVAILABLE fast without calling the provider', async () => {
    const flaky = llm({ maxRetries: 0, breaker: { volumeThreshold: 3, resetTimeoutMs: 60_000 } });
    fake.failNext(1_000, 500);
    for (let i = 0; i < 3; i += 1) expectAppError((await collect(flaky, request())).error, 502, 'LLM_BAD_RESPONSE');
    const callsBefore = fake.requests.length;
    const started = Date.now();
    const { error } = await collect(flaky, request());
    expect(Date.now() - started).toBeLessThan(100);
    expectAppError(error, 503, 'PROVIDER_UNAVAILABLE');
    expect(fake.requests).toHaveLength(callsBefore);
  });

  it('does not count callers aborting against the provider', async () => {
    const patient = llm({ breaker: { volumeThreshold: 3, resetTimeoutMs: 60_000 } });
    fake.reply({ hang: true });
    for (let i = 0; i < 4; i += 1) {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 30);
      expect(isLlmAbort((await collect(patient, request({ signal: controller.signal }))).error)).toBe(true);
    }
    fake.reply({ text: 'Still here.' });
    const { deltas, error } = await collect(patient, request());
    expect(error).toBeUndefined();
    expect(deltas.join('')).toBe('Still here.');
  });
});

/** Reads a whole stream; `onFirstDelta` runs once, right after the first text arrives. */
async function collect(llm: LlmPort, request: LlmRequest, onFirstDelta?: () => void) {
  const deltas: string[] = [];
  let done: LlmEvent | undefined;
  let error: unknown;
  try {
    for await (const event of llm.stream(request)) {
      if (event.type === 'delta') {
        deltas.push(event.text);
        if (deltas.length === 1) onFirstDelta?.();
      } else done = event;
    }
  } catch (caught) {
    error = caught;
  }
  return { deltas, done, error };
}

function expectAppError(error: unknown, status: number, code: string): void {
  expect(error).toBeInstanceOf(AppException);
  expect({ status: (error as AppException).status, code: (error as AppException).code }).toEqual({ status, code });
}
