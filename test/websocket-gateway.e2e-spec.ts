import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { MetricsRegistry, RateLimiter, RedisConnections, drainAndClose } from '@showroom/core';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Socket, io } from 'socket.io-client';
import request from 'supertest';
import { createApiApp } from '../apps/api/src/create-api-app';
import { createWorkerApp } from '../apps/worker/src/create-worker-app';
import { CommandRateLimit } from '../apps/api/src/realtime/command-rate-limit';
import { Session, addUser, bearer, registerDealership } from './support/auth-helpers';
import { FakeOpenAiServer, fakeLlmEnv } from './support/fake-openai-server';
import { TestContext } from './support/test-context';
import { waitFor } from './support/wait-for';

const WARRANTY = `# Warranty

## Powertrain

The powertrain warranty covers the engine and transmission for five years or 60,000 miles.
`;
const LONG_ANSWER = 'The powertrain warranty lasts five years [1]. '.repeat(40);

interface Received {
  event: string;
  payload: Record<string, unknown>;
}

/** A socket.io client as the React client would use it, recording every event it receives. */
class TestSocket {
  readonly received: Received[] = [];
  readonly socket: Socket;

  constructor(base: string, auth: { token?: string; header?: string; origin?: string }) {
    this.socket = io(base, {
      path: '/api/v1/ws',
      transports: ['websocket'],
      auth: auth.token === undefined ? {} : { token: auth.token },
      extraHeaders: {
        ...(auth.header === undefined ? {} : { authorization: auth.header }),
        ...(auth.origin === undefined ? {} : { origin: auth.origin }),
      },
      reconnection: false,
      forceNew: true,
    });
    this.socket.onAny((event: string, payload: Record<string, unknown>) => this.received.push({ event, payload }));
  }

  /** Resolves on connect; rejects with the connect_error (message + data) on refusal. */
  opened(): Promise<this> {
    return new Promise((resolve, reject) => {
      this.socket.once('connect', () => resolve(this));
      this.socket.once('connect_error', reject);
    });
  }

  refusal(): Promise<Error & { data?: { error: { code: string; message: string } } }> {
    return new Promise((resolve, reject) => {
      this.socket.once('connect', () => reject(new Error('connected, but should have been refused')));
      this.socket.once('connect_error', resolve);
    });
  }

  /** Emits a command and waits for its ack (the server acks every command, with `ok` or the error envelope). */
  command(event: string, payload?: unknown): Promise<Record<string, unknown>> {
    return this.socket.timeout(10_000).emitWithAck(event, payload) as Promise<Record<string, unknown>>;
  }

  events(name: string): Record<string, unknown>[] {
    return this.received.filter((r) => r.event === name).map((r) => r.payload);
  }

  /** The chat events of one request, in arrival order. */
  stream(requestId: string): Received[] {
    return this.received.filter((r) => ['token', 'citations', 'done', 'error'].includes(r.event) && r.payload.requestId === requestId);
  }

  async streamEnded(requestId: string): Promise<Received[]> {
    await waitFor(`stream ${requestId} to end`, () => this.stream(requestId).some((r) => r.event === 'done' || r.event === 'error'));
    return this.stream(requestId);
  }

  close(): void {
    this.socket.close();
  }
}

const tokensOf = (events: Received[]) =>
  events
    .filter((e) => e.event === 'token')
    .map((e) => e.payload.delta)
    .join('');

/**
 * The WebSocket gateway on two api instances sharing Postgres and Redis (as two pods), with
 * the real worker in-process and the `openai` SDK talking to a fake OpenAI server.
 */
describe('WebSocket gateway (/api/v1/ws)', () => {
  let ctx: TestContext;
  let fake: FakeOpenAiServer;
  let draining: NestExpressApplication;
  let drained = false;
  let worker: INestApplication;
  let a: NestExpressApplication;
  let b: NestExpressApplication;
  let baseA: string;
  let baseB: string;
  let alpha: Session;
  let alphaStaff: Session;
  let beta: Session;
  let alphaConversation: string;
  let betaConversation: string;
  const sockets: TestSocket[] = [];

  const connect = (base: string, auth: { token?: string; header?: string; origin?: string }) => {
    const socket = new TestSocket(base, auth);
    sockets.push(socket);
    return socket;
  };
  const http = () => request(a.getHttpServer());

  beforeAll(async () => {
    fake = await FakeOpenAiServer.start();
    ctx = await TestContext.create();
    const config = ctx.config({
      ...fakeLlmEnv(fake),
      LLM_MAX_RETRIES: '0',
      CHAT_RESUME_GRACE_MS: '300',
      WORKER_QUEUES: 'ingestion,embeddings',
      RATE_LIMIT_USER_PER_MINUTE: '10000',
      RATE_LIMIT_USER_PER_SECOND: '1000',
      RATE_LIMIT_WS_HANDSHAKES_PER_MINUTE: '1000',
    });
    // Built first: passport's strategies belong to the last app built, and this one is closed early.
    draining = await createApiApp(config);
    worker = await createWorkerApp(config);
    a = await createApiApp(config);
    b = await createApiApp(config);
    await worker.init();
    for (const app of [draining, a, b]) await app.listen(0, '127.0.0.1');
    baseA = await a.getUrl();
    baseB = await b.getUrl();

    alpha = await registerDealership(a, 'Alpha Socket Motors');
    alphaStaff = await addUser(a, alpha, 'staff');
    beta = await registerDealership(a, 'Beta Socket Motors');
    await upload(alpha, WARRANTY, 'warranty.md');
    alphaConversation = (await http().post('/api/v1/conversations').set(bearer(alphaStaff.accessToken)).send({}).expect(201)).body.id;
    betaConversation = (await http().post('/api/v1/conversations').set(bearer(beta.accessToken)).send({}).expect(201)).body.id;
  });

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await Promise.all([a?.close(), b?.close(), drained ? undefined : draining?.close(), worker?.close()]);
    await ctx?.dispose();
    await fake?.close();
  });

  beforeEach(() => fake.reset());

  async function upload(session: Session, text: string, name: string): Promise<string> {
    const res = await http().post('/api/v1/documents').set(bearer(session.accessToken)).attach('file', Buffer.from(text), name).expect(202);
    await waitFor(`${name} ready`, async () => (await http().get(`/api/v1/documents/${res.body.id}`).set(bearer(session.accessToken))).body.status === 'ready');
    return res.body.id;
  }

  describe('handshake', () => {
    it('refuses a connection without a credential, with a message and the error envelope', async () => {
      const error = await connect(baseA, {}).refusal();
      expect(error.message).toMatch(/access token or API key/);
      expect(error.data?.error).toMatchObject({ code: 'UNAUTHORIZED', message: error.message });
    });

    it('refuses a bad or forged token, in auth.token or in the Authorization header', async () => {
      const [header, payload] = alpha.accessToken.split('.');
      for (const auth of [{ token: 'not-a-jwt' }, { header: 'Bearer shr_000000000000_nope' }, { token: `${header}.${payload}.forged-signature` }]) {
        expect((await connect(baseB, auth).refusal()).data?.error.code).toBe('UNAUTHORIZED');
      }
    });

    it('accepts an access token in auth.token or in the Authorization header, and an API key', async () => {
      await connect(baseA, { token: alpha.accessToken }).opened();
      await connect(baseB, { header: `Bearer ${alphaStaff.accessToken}` }).opened();
      const key = (await http().post('/api/v1/api-keys').set(bearer(alpha.accessToken)).send({ name: 'socket' }).expect(201)).body;
      const keySocket = await connect(baseB, { token: key.key }).opened();
      // Keys hold no conversations, as on the HTTP chat routes.
      const refused = await keySocket.command('chat.ask', { conversationId: alphaConversation, content: 'hello' });
      expect(refused).toMatchObject({ event: 'chat.ask', error: { code: 'FORBIDDEN' } });
    });

    it('accepts a browser on the api origin (the console) and refuses other origins not in CORS_ORIGINS', async () => {
      await connect(baseA, { token: alpha.accessToken, origin: new URL(baseA).origin }).opened();
      await connect(baseA, { token: alpha.accessToken, origin: 'https://evil.example' }).refusal();
      await connect(baseA, { token: alpha.accessToken, origin: 'null' }).refusal();
    });

    it('refuses a deactivated user and a revoked API key', async () => {
      const leaver = await addUser(a, alpha, 'staff');
      await connect(baseA, { token: leaver.accessToken }).opened();
      await http().delete(`/api/v1/users/${leaver.user.id}`).set(bearer(alpha.accessToken)).expect(204);
      expect((await connect(baseA, { token: leaver.accessToken }).refusal()).data?.error.code).toBe('UNAUTHORIZED');

      const key = (await http().post('/api/v1/api-keys').set(bearer(alpha.accessToken)).send({ name: 'revoked' }).expect(201)).body;
      await http().delete(`/api/v1/api-keys/${key.id}`).set(bearer(alpha.accessToken)).expect(204);
      expect((await connect(baseB, { token: key.key }).refusal()).data?.error.code).toBe('UNAUTHORIZED');
    });

    it('closes an open socket at its next command once the user is deactivated', async () => {
      const leaver = await addUser(a, alpha, 'staff');
      const socket = await connect(baseB, { token: leaver.accessToken }).opened();
      await http().delete(`/api/v1/users/${leaver.user.id}`).set(bearer(alpha.accessToken)).expect(204);
      const disconnected = new Promise<string>((resolve) => socket.socket.once('disconnect', resolve));
      expect(await socket.command('documents.unsubscribe')).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
      expect(await disconnected).toBe('io server disconnect');
    });
  });

  describe('chat', () => {
    it('streams token, citations and done to the asking socket, each with its id, conversation, message and request ids', async () => {
      fake.reply({ text: 'Five years or 60,000 miles [1].', tokenDelayMs: 5 });
      const socket = await connect(baseB, { token: alphaStaff.accessToken }).opened();
      socket.socket.emit('chat.ask', { conversationId: alphaConversation, content: 'How long is the powertrain warranty?', requestId: 'ask-1' });
      const events = await socket.streamEnded('ask-1');

      expect(events.map((e) => e.event)).toEqual([...events.filter((e) => e.event === 'token').map(() => 'token'), 'citations', 'done']);
      expect(tokensOf(events)).toBe('Five years or 60,000 miles [1].');
      const done = events.at(-1)!.payload as { messageId: string; message: { id: string; content: string; status: string } };
      expect(done.message).toMatchObject({ id: done.messageId, content: 'Five years or 60,000 miles [1].', status: 'complete' });
      for (const [i, e] of events.entries()) {
        expect(e.payload).toMatchObject({ id: `${done.messageId}:${i + 1}`, conversationId: alphaConversation, messageId: done.messageId, requestId: 'ask-1' });
      }
      expect((events.at(-2)!.payload.citations as unknown[]).length).toBe(1);
      const stored = (await http().get(`/api/v1/conversations/${alphaConversation}`).set(bearer(alphaStaff.accessToken)).expect(200)).body.messages;
      expect(stored.at(-1)).toMatchObject({ id: done.messageId, role: 'assistant', status: 'complete' });
    });

    it("answers another dealership's conversation with an error event (404 CONVERSATION_NOT_FOUND) and asks no model", async () => {
      const socket = await connect(baseA, { token: alphaStaff.accessToken }).opened();
      const ack = await socket.command('chat.ask', { conversationId: betaConversation, content: 'What does Beta say?', requestId: 'peek' });
      expect(ack).toMatchObject({ event: 'chat.ask', requestId: 'peek', error: { code: 'CONVERSATION_NOT_FOUND', requestId: 'peek' } });
      expect(socket.events('error')).toEqual([ack]);
      expect(socket.stream('peek').filter((e) => e.event !== 'error')).toEqual([]);
      expect(fake.requests).toHaveLength(0);
    });

    it('answers malformed frames with a VALIDATION_FAILED or UNKNOWN_EVENT error event and keeps the socket open', async () => {
      const socket = await connect(baseA, { token: alphaStaff.accessToken }).opened();
      expect(await socket.command('chat.ask', 'just a string')).toMatchObject({
        error: { code: 'VALIDATION_FAILED', details: [{ message: 'The payload must be a JSON object.' }] },
      });
      const invalid = await socket.command('chat.ask', { conversationId: 'nope', content: '', admin: true });
      expect(invalid.error).toMatchObject({ code: 'VALIDATION_FAILED' });
      expect((invalid.error as { details: { field: string }[] }).details.map((d) => d.field).sort()).toEqual(['admin', 'content', 'conversationId']);
      expect(await socket.command('chat.resume', { messageId: alphaConversation, lastEventId: 'someone-else:3' })).toMatchObject({
        error: { code: 'VALIDATION_FAILED', details: [{ field: 'lastEventId' }] },
      });
      expect(await socket.command('chat.cancel', {})).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
      expect(await socket.command('admin.dropTables', {})).toMatchObject({ event: 'admin.dropTables', error: { code: 'UNKNOWN_EVENT' } });
      socket.socket.emit('chat.ask'); // no payload and no ack at all
      await waitFor('six error events', () => socket.events('error').length === 6);

      expect(socket.socket.connected).toBe(true);
      expect(await socket.command('documents.unsubscribe')).toMatchObject({ ok: true });
      expect(fake.requests).toHaveLength(0);
    });

    it('cancels an answer on chat.cancel: the upstream call is aborted and the stream ends with ANSWER_INTERRUPTED', async () => {
      fake.reply({ text: LONG_ANSWER, tokenDelayMs: 20 });
      const socket = await connect(baseA, { token: alphaStaff.accessToken }).opened();
      socket.socket.emit('chat.ask', { conversationId: alphaConversation, content: 'How long is the powertrain warranty?', requestId: 'to-cancel' });
      await waitFor('two tokens', () => socket.stream('to-cancel').length >= 2);
      expect(await socket.command('chat.cancel', { requestId: 'to-cancel' })).toMatchObject({ ok: true, cancelled: 1 });

      const events = await socket.streamEnded('to-cancel');
      expect(events.at(-1)).toMatchObject({ event: 'error', payload: { error: { code: 'ANSWER_INTERRUPTED' } } });
      await waitFor('upstream aborted', () => fake.requests[0]?.aborted === true);
      expect(tokensOf(events).length).toBeLessThan(LONG_ANSWER.length);
    });

    it('resumes on the other instance from the last event seen, after the first socket dropped', async () => {
      fake.reply({ text: 'The powertrain warranty covers five years or 60,000 miles [1].', tokenDelayMs: 40 });
      const first = await connect(baseA, { token: alphaStaff.accessToken }).opened();
      first.socket.emit('chat.ask', { conversationId: alphaConversation, content: 'How long is the powertrain warranty?', requestId: 'dropped' });
      await waitFor('three events', () => first.stream('dropped').length >= 3);
      first.close();
      const seen = first.stream('dropped');
      const last = seen.at(-1)!.payload as { id: string; messageId: string };

      const second = await connect(baseB, { token: alphaStaff.accessToken }).opened();
      second.socket.emit('chat.resume', { messageId: last.messageId, lastEventId: last.id, requestId: 'resumed' });
      const rest = await second.streamEnded('resumed');
      expect(rest.at(-1)!.event).toBe('done');
      expect(rest[0].payload).toMatchObject({ id: `${last.messageId}:${seen.length + 1}`, conversationId: alphaConversation, messageId: last.messageId });
      expect(tokensOf(seen) + tokensOf(rest)).toBe('The powertrain warranty covers five years or 60,000 miles [1].');
      expect(fake.requests[0].aborted).toBe(false);
    });

    it("refuses to resume another dealership's message (404 MESSAGE_NOT_FOUND)", async () => {
      const socket = await connect(baseA, { token: beta.accessToken }).opened();
      const stored = (await http().get(`/api/v1/conversations/${alphaConversation}`).set(bearer(alphaStaff.accessToken)).expect(200)).body.messages;
      expect(await socket.command('chat.resume', { messageId: stored[0].id })).toMatchObject({ error: { code: 'MESSAGE_NOT_FOUND' } });
    });
  });

  describe('document progress', () => {
    it('reaches an admin connected to instance B while the upload goes through instance A and the worker, once per event, and only its dealership', async () => {
      const admin = await connect(baseB, { token: alpha.accessToken }).opened();
      const outsider = await connect(baseB, { token: beta.accessToken }).opened();
      const alsoOnA = await connect(baseA, { token: alpha.accessToken }).opened();
      for (const socket of [admin, outsider, alsoOnA]) expect(await socket.command('documents.subscribe')).toMatchObject({ ok: true, subscribed: true });

      const documentId = await upload(alpha, `${WARRANTY}\nRoadside assistance is included for three years.`, 'roadside.md');
      const readyOn = (socket: TestSocket) => socket.events('document.progress').some((e) => e.status === 'ready');
      await waitFor('ready event on both instances', () => readyOn(admin) && readyOn(alsoOnA));
      // A second copy of an event would come from the other instance through the Redis adapter; give it time to show up.
      await sleep(300);

      const progress = admin.events('document.progress');
      expect(progress.every((e) => e.documentId === documentId)).toBe(true);
      expect(progress.filter((e) => e.status === 'ready')).toEqual([{ documentId, status: 'ready', progress: 100, chunkCount: expect.any(Number), error: null }]);
      expect(progress.map((e) => e.progress)).toEqual([...progress.map((e) => e.progress as number)].sort((x, y) => x - y));
      expect(alsoOnA.events('document.progress').filter((e) => e.status === 'ready')).toHaveLength(1);
      expect(outsider.events('document.progress')).toEqual([]);
    });

    it('refuses staff (FORBIDDEN), who then receive no progress', async () => {
      const staff = await connect(baseB, { token: alphaStaff.accessToken }).opened();
      expect(await staff.command('documents.subscribe')).toMatchObject({ event: 'documents.subscribe', error: { code: 'FORBIDDEN' } });
      expect(staff.events('error')).toHaveLength(1);
      await upload(alpha, 'Tyre rotation is free every 10,000 miles.', 'tyres.txt');
      expect(staff.events('document.progress')).toEqual([]);
      expect(staff.socket.connected).toBe(true);
    });
  });

  it('shares rooms between instances through the Redis adapter, under the deployment key prefix', async () => {
    // The adapter's request channel: how one instance asks the others about their sockets and rooms.
    const channels = await ctx.redis.pubsub('CHANNELS', `${ctx.redisPrefix}:socket.io*`);
    expect(channels).toContain(`${ctx.redisPrefix}:socket.io-request#/#`);
  });

  it('limits commands per identity with the HTTP limits, counted in Redis', async () => {
    const config = ctx.config({ RATE_LIMIT_USER_PER_SECOND: '2' });
    const redis = new RedisConnections(config);
    try {
      // The shared connection refuses commands until it is ready (the limiter would fail open).
      await waitFor('redis ready', () => redis.shared.status === 'ready');
      const limit = new CommandRateLimit(new RateLimiter(redis, new MetricsRegistry('test')), config);
      const who = { kind: 'user' as const, userId: randomUUID(), dealershipId: randomUUID(), role: 'staff' as const };
      await limit.take(who);
      await limit.take(who);
      await expect(limit.take(who)).rejects.toMatchObject({ code: 'RATE_LIMITED', status: 429 });
      await limit.take({ ...who, userId: randomUUID() }); // someone else is not affected
    } finally {
      await redis.onApplicationShutdown();
    }
  });

  it('on SIGTERM drain closes its sockets (the client sees a lost connection, so it reconnects elsewhere) and shuts down', async () => {
    const socket = await connect(await draining.getUrl(), { token: alpha.accessToken }).opened();
    const lost = new Promise<string>((resolve) => socket.socket.once('disconnect', resolve));
    drained = true;
    await drainAndClose(draining, ctx.config({ SHUTDOWN_READINESS_DELAY_MS: '0' }));
    expect(await lost).toBe('transport close');
  });
});
