import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { createApiApp } from '../apps/api/src/create-api-app';
import { createWorkerApp } from '../apps/worker/src/create-worker-app';
import { AbandonedAnswers } from '../libs/chat/src/maintenance/abandoned-answers';
import { ConversationAnswers } from '@showroom/chat';
import { SearchService } from '@showroom/rag';
import { Session, bearer, registerDealership } from './support/auth-helpers';
import { FakeOpenAiServer, fakeLlmEnv } from './support/fake-openai-server';
import { SseEvent, readSse, tokensOf } from './support/sse-client';
import { TestContext } from './support/test-context';
import { waitFor } from './support/wait-for';

const WARRANTY = `# Warranty

## Powertrain

The powertrain warranty covers the engine and transmission for five years or 60,000 miles.

## Corrosion

Body panels are protected against rust-through for seven years with unlimited mileage.
`;
const BETA_SECRET = 'Beta Motors gives a lifetime powertrain warranty on certified used cars.';
const PRICE_LIST = [
  'model,trim,engine,msrp_usd,destination_usd,lease_from_usd_month',
  'Ridgeway,LX,2.0L turbo,31450,1295,329',
  'Ridgeway,Touring,2.0L turbo hybrid,38990,1295,419',
  'Voltline,Standard Range,electric 201 kW,42900,1395,459',
  'Voltline,Long Range,electric 250 kW,48750,1395,519',
].join('\n');
const LONG_ANSWER = `${'The powertrain warranty lasts five years [1]. '.repeat(30)}`;

/**
 * Grounded chat through the real api, worker, Postgres and Redis, with the `openai` SDK
 * talking to a local server that speaks OpenAI's streaming wire format.
 */
describe('grounded chat answers', () => {
  let ctx: TestContext;
  let fake: FakeOpenAiServer;
  let worker: INestApplication;
  let api: NestExpressApplication;
  let second: NestExpressApplication;
  let base: string;
  let secondBase: string;
  let alpha: Session;
  let beta: Session;

  beforeAll(async () => {
    fake = await FakeOpenAiServer.start();
    ctx = await TestContext.create();
    const config = ctx.config({
      ...fakeLlmEnv(fake),
      LLM_FIRST_TOKEN_TIMEOUT_MS: '700',
      LLM_MAX_RETRIES: '0',
      CHAT_RESUME_GRACE_MS: '300',
      CHAT_MESSAGE_MAX_CHARS: '500',
      WORKER_QUEUES: 'ingestion,embeddings',
      RATE_LIMIT_USER_PER_MINUTE: '10000',
      RATE_LIMIT_USER_PER_SECOND: '1000',
    });
    worker = await createWorkerApp(config);
    api = (await createApiApp(config)) as NestExpressApplication;
    second = (await createApiApp(config)) as NestExpressApplication;
    await worker.init();
    await api.listen(0, '127.0.0.1');
    await second.listen(0, '127.0.0.1');
    base = await api.getUrl();
    secondBase = await second.getUrl();
    alpha = await registerDealership(api, 'Alpha Chat Motors');
    beta = await registerDealership(api, 'Beta Chat Motors');
    await upload(alpha, WARRANTY, 'warranty.md');
    await upload(beta, BETA_SECRET, 'beta.txt');
    await upload(alpha, PRICE_LIST, 'prices.csv');
  });

  afterAll(async () => {
    await Promise.all([api?.close(), second?.close(), worker?.close()]);
    await ctx?.dispose();
    await fake?.close();
  });

  beforeEach(() => fake.reset());

  const http = () => request(api.getHttpServer());

  async function upload(session: Session, text: string, name: string): Promise<void> {
    const res = await http().post('/api/v1/documents').set(bearer(session.accessToken)).attach('file', Buffer.from(text), name).expect(202);
    await waitFor(`${name} ready`, async () => (await http().get(`/api/v1/documents/${res.body.id}`).set(bearer(session.accessToken))).body.status === 'ready');
  }

  async function conversation(session: Session): Promise<string> {
    return (await http().post('/api/v1/conversations').set(bearer(session.accessToken)).send({}).expect(201)).body.id;
  }

  const ask = (session: Session, conversationId: string, content: string, stopAfter?: number, at = base) =>
    readSse(`${at}/api/v1/conversations/${conversationId}/messages`, {
      method: 'POST',
      headers: { ...bearer(session.accessToken), accept: 'text/event-stream', 'content-type': 'application/json' },
      body: JSON.stringify({ content }),
      stopAfter,
    });

  const storedMessages = async (session: Session, conversationId: string) =>
    (await http().get(`/api/v1/conversations/${conversationId}`).set(bearer(session.accessToken)).expect(200)).body.messages as {
      role: string;
      content: string;
      status: string;
      citations: unknown[];
    }[];

  it('answers as JSON from the dealership\'s knowledge, citing only the sources the answer used', async () => {
    fake.reply({ text: 'Five years or 60,000 miles [1].' });
    const id = await conversation(alpha);
    const res = await http().post(`/api/v1/conversations/${id}/messages`).set(bearer(alpha.accessToken)).send({ content: 'How long is the powertrain warranty?' }).expect(201);
    expect(res.body.userMessage).toMatchObject({ role: 'user', content: 'How long is the powertrain warranty?' });
    expect(res.body.assistantMessage).toMatchObject({ role: 'assistant', content: 'Five years or 60,000 miles [1].', status: 'complete' });
    expect(res.body.assistantMessage.citations).toEqual([
      { documentId: expect.any(String), documentTitle: 'warranty.md', chunkId: expect.any(String), page: null, snippet: expect.stringContaining('60,000 miles') },
    ]);
    const sent = JSON.stringify(fake.requests[0].body);
    expect(sent).toContain('60,000 miles'); // the retrieved passage went into the prompt
    expect(fake.requests[0].body).toMatchObject({ model: 'gpt-4o-mini', stream: true });
  });

  it('streams token, citations and done over SSE, with ids that count up, and stores the answer', async () => {
    fake.reply({ text: 'The corrosion cover lasts seven years [1].', tokenDelayMs: 5 });
    const id = await conversation(alpha);
    const { status, events } = await ask(alpha, id, 'How long is the rust-through corrosion cover?');
    expect(status).toBe(200);
    expect(events.map((e) => e.event)).toEqual([...events.filter((e) => e.event === 'token').map(() => 'token'), 'citations', 'done']);
    expect(tokensOf(events)).toBe('The corrosion cover lasts seven years [1].');
    const done = events.at(-1)!.data as { message: { id: string; content: string } };
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => `${done.message.id}:${i + 1}`));
    expect((events.at(-2)!.data as { citations: unknown[] }).citations).toHaveLength(1);
    const stored = await storedMessages(alpha, id);
    expect(stored.map((m) => [m.role, m.status])).toEqual([['user', 'complete'], ['assistant', 'complete']]);
    expect(stored[1].content).toBe(done.message.content);
    // The journal for resuming is kept for CHAT_STREAM_RETENTION_SECONDS, then expires.
    const journal = `${ctx.redisPrefix}:chat:answer:${done.message.id}`;
    expect(await ctx.redis.xlen(journal)).toBe(events.length);
    expect(await ctx.redis.ttl(journal)).toBeGreaterThan(500);
  });

  it('answers from a price-list row that holds every word of the question, though its numbers keep its cosine low', async () => {
    fake.reply({ text: 'The Ridgeway Touring lists at $38,990 [1].' });
    const id = await conversation(alpha);
    const search = await http().post('/api/v1/search').set(bearer(alpha.accessToken)).send({ query: 'Ridgeway Touring msrp', topK: 5 }).expect(200);
    const row = search.body.items.find((item: { text: string }) => item.text.includes('38990'));
    expect(row).toMatchObject({ matchedAllWords: true });
    expect(row.relevance).toBeLessThan(0.15); // below CHAT_MIN_RELEVANCE: only the every-word rule lets it in
    const { events } = await ask(alpha, id, 'Ridgeway Touring msrp');
    expect(fake.requests).toHaveLength(1);
    expect(JSON.stringify(fake.requests[0].body)).toContain('38990');
    expect(events.at(-1)!.event).toBe('done');
  });

  it('says it does not know, without asking the model, when nothing relevant is found', async () => {
    const id = await conversation(alpha);
    const { events } = await ask(alpha, id, 'zebra xylophone quasar nebula');
    expect(tokensOf(events)).toMatch(/don't know/i);
    expect(events.at(-2)).toMatchObject({ event: 'citations', data: { citations: [] } });
    expect(events.at(-1)!.event).toBe('done');
    expect(fake.requests).toHaveLength(0);
  });

  it('aborts the upstream call when the client disconnects and nobody resumes, keeping the partial answer as interrupted', async () => {
    fake.reply({ text: LONG_ANSWER, tokenDelayMs: 20 });
    const id = await conversation(alpha);
    const { events } = await ask(alpha, id, 'How long is the powertrain warranty?', 3);
    expect(events).toHaveLength(3);
    await waitFor('upstream aborted', async () => fake.requests[0]?.aborted === true, 5_000);
    await waitFor('answer stored as interrupted', async () => (await storedMessages(alpha, id))[1]?.status === 'interrupted');
    const [, answer] = await storedMessages(alpha, id);
    expect(answer.content.length).toBeGreaterThan(0);
    expect(LONG_ANSWER.startsWith(answer.content)).toBe(true);
  });

  it('stops the upstream call at once when the caller says stop (a spoken barge-in), keeping the partial answer', async () => {
    fake.reply({ text: LONG_ANSWER, tokenDelayMs: 20 });
    const id = await conversation(alpha);
    const stop = new AbortController();
    const user = { kind: 'user' as const, userId: alpha.user.id, dealershipId: alpha.dealership.id, role: 'owner' as const };
    const turn = await api.get(ConversationAnswers).answer(user, { dealershipId: alpha.dealership.id }, id, 'How long is the powertrain warranty?', {
      // No reader ever leaves (no clientGone), so only `stop` can end this long answer early.
      onEvent: (event) => event.event === 'token' && stop.abort(),
      stop: stop.signal,
    });
    expect(turn.error?.code).toBe('ANSWER_INTERRUPTED');
    expect(fake.requests[0]?.aborted).toBe(true);
    const [, answer] = await storedMessages(alpha, id);
    expect(answer.status).toBe('interrupted');
    expect(LONG_ANSWER.startsWith(answer.content) && answer.content.length < LONG_ANSWER.length).toBe(true);
  });

  it('resumes a dropped stream on another api instance from Last-Event-ID, with nothing missing or repeated', async () => {
    fake.reply({ text: LONG_ANSWER, tokenDelayMs: 10 });
    const id = await conversation(alpha);
    const first = await ask(alpha, id, 'How long is the powertrain warranty?', 4);
    const lastSeen = first.events.at(-1)!.id!;
    const resumed = await readSse(`${secondBase}/api/v1/messages/${lastSeen.split(':')[0]}/events`, {
      headers: { ...bearer(alpha.accessToken), 'last-event-id': lastSeen },
    });
    const all: SseEvent[] = [...first.events, ...resumed.events];
    expect(all.map((e) => Number(e.id!.split(':')[1]))).toEqual(all.map((_, i) => i + 1));
    expect(all.at(-1)!.event).toBe('done');
    expect(tokensOf(all)).toBe(LONG_ANSWER);
    expect(fake.requests[0].aborted).toBe(false);
    // Another dealership cannot read the stream.
    await request(second.getHttpServer()).get(`/api/v1/messages/${lastSeen.split(':')[0]}/events`).set(bearer(beta.accessToken)).expect(404);
  });

  it('ends with an error event when the first token does not come in time, and records the failure', async () => {
    fake.reply({ text: 'too late', firstTokenDelayMs: 3_000 });
    const id = await conversation(alpha);
    const { events } = await ask(alpha, id, 'How long is the powertrain warranty?');
    expect(events.at(-1)).toMatchObject({ event: 'error', data: { error: { code: 'LLM_TIMEOUT' } } });
    const stored = await storedMessages(alpha, id);
    expect(stored[1]).toMatchObject({ status: 'failed', content: '' });
    // As JSON: the error envelope with its status.
    fake.reply({ text: 'too late', firstTokenDelayMs: 3_000 });
    const json = await http().post(`/api/v1/conversations/${id}/messages`).set(bearer(alpha.accessToken)).send({ content: 'And the corrosion cover?' }).expect(504);
    expect(json.body.error.code).toBe('LLM_TIMEOUT');
  });

  it('ends with an error event when the model sends garbage mid-stream, keeping what came before', async () => {
    fake.reply({ text: 'Five years [1] and then', garbage: { afterChunks: 2 } });
    const id = await conversation(alpha);
    const { events } = await ask(alpha, id, 'How long is the powertrain warranty?');
    expect(events.at(-1)).toMatchObject({ event: 'error', data: { error: { code: 'LLM_BAD_RESPONSE' } } });
    const stored = await storedMessages(alpha, id);
    expect(stored[1].status).toBe('failed');
    expect(stored[1].content).toBe(tokensOf(events));
  });

  it('never retrieves another dealership\'s knowledge, and another dealership\'s conversation is 404', async () => {
    fake.reply({ text: 'Answer [1].' });
    const id = await conversation(beta);
    await ask(beta, id, 'How many miles does the powertrain warranty cover?');
    const prompt = JSON.stringify(fake.requests[0].body);
    expect(prompt).toContain('lifetime powertrain warranty');
    expect(prompt).not.toContain('60,000 miles');
    const alphaConversation = await conversation(alpha);
    await http().post(`/api/v1/conversations/${alphaConversation}/messages`).set(bearer(beta.accessToken)).send({ content: 'hello' }).expect(404);
    const sse = await ask(beta, alphaConversation, 'hello');
    expect(sse.status).toBe(404);
    expect(sse.body).toMatchObject({ error: { code: 'CONVERSATION_NOT_FOUND' } });
  });

  it('stores the turn and ends with an error event when retrieval (run beside the turn\'s statement) fails; a conversation it cannot open stays 404', async () => {
    const search = jest.spyOn(api.get(SearchService), 'search').mockRejectedValue(new Error('search thread gone'));
    try {
      const id = await conversation(alpha);
      const { events } = await ask(alpha, id, 'How long is the powertrain warranty?');
      expect(events.map((e) => e.event)).toEqual(['error']);
      expect(events[0]).toMatchObject({ data: { error: { code: 'INTERNAL_ERROR' } } });
      const stored = await storedMessages(alpha, id);
      expect(stored.map((m) => [m.role, m.status])).toEqual([
        ['user', 'complete'],
        ['assistant', 'failed'],
      ]);
      expect(fake.requests).toHaveLength(0);
      // The turn is refused first; the failed retrieval begun beside it is dropped, not reported.
      const betaConversation = await conversation(beta);
      const refused = await ask(alpha, betaConversation, 'How long is the powertrain warranty?');
      expect(refused.status).toBe(404);
      expect(refused.body).toMatchObject({ error: { code: 'CONVERSATION_NOT_FOUND' } });
      expect(search).toHaveBeenCalledTimes(2);
    } finally {
      search.mockRestore();
    }
  });

  it('rejects an empty or oversized message with 422 and writes nothing', async () => {
    const id = await conversation(alpha);
    await http().post(`/api/v1/conversations/${id}/messages`).set(bearer(alpha.accessToken)).send({ content: '' }).expect(422);
    await http().post(`/api/v1/conversations/${id}/messages`).set(bearer(alpha.accessToken)).send({ content: '   ' }).expect(422);
    await http().post(`/api/v1/conversations/${id}/messages`).set(bearer(alpha.accessToken)).send({ content: 'x'.repeat(501) }).expect(422);
    await http().post(`/api/v1/conversations/${id}/messages`).set(bearer(alpha.accessToken)).send({}).expect(422);
    expect(await storedMessages(alpha, id)).toEqual([]);
    expect(fake.requests).toHaveLength(0);
  });

  it('closes an answer left streaming by a pod that died, once no producer can still be writing it', async () => {
    const id = await conversation(alpha);
    const { rows } = await ctx.db.query(
      `INSERT INTO messages (id, dealership_id, conversation_id, role, content, status, created_at)
       VALUES (gen_random_uuid(), $1, $2, 'assistant', '', 'streaming', now() - interval '1 hour'), (gen_random_uuid(), $1, $2, 'assistant', '', 'streaming', now())
       RETURNING id`,
      [alpha.dealership.id, id],
    );
    await expect(worker.get(AbandonedAnswers).close()).resolves.toEqual({ closed: 1 });
    const after = await ctx.db.query(`SELECT id, status, error FROM messages WHERE id = ANY($1) ORDER BY created_at`, [rows.map((r: { id: string }) => r.id)]);
    expect(after.rows.map((r: { status: string }) => r.status)).toEqual(['interrupted', 'streaming']);
    expect(after.rows[0].error).toMatchObject({ code: 'ANSWER_ABANDONED' });
  });

  it('answers 503 at once while the circuit is open after repeated provider failures', async () => {
    fake.failNext(1_000, 500);
    const id = await conversation(alpha);
    const askOnce = () => http().post(`/api/v1/conversations/${id}/messages`).set(bearer(alpha.accessToken)).send({ content: 'How long is the powertrain warranty?' });
    // The breaker opens once half the calls of its rolling window failed; earlier tests'
    // successes may still be in that window, so keep failing until it opens (bounded).
    let first = await askOnce();
    for (let i = 0; i < 20 && first.status !== 503; i += 1) {
      expect(first.body.error.code).toBe('LLM_BAD_RESPONSE'); // the upstream's 500, relayed as 502
      first = await askOnce();
    }
    expect(first.status).toBe(503);
    const before = fake.requests.length;
    const res = await askOnce().expect(503);
    expect(res.body.error.code).toBe('PROVIDER_UNAVAILABLE');
    expect(fake.requests.length).toBe(before);
    const stored = await storedMessages(alpha, id);
    expect(stored.filter((m) => m.role === 'assistant').every((m) => m.status === 'failed')).toBe(true);
  });
});
