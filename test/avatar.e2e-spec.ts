import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { io } from 'socket.io-client';
import request from 'supertest';
import { createApiApp } from '../apps/api/src/create-api-app';
import { createWorkerApp } from '../apps/worker/src/create-worker-app';
import { AvatarSessionSweep } from '../libs/avatar/src/maintenance/avatar-session-sweep';
import { AvatarUsage } from '../libs/avatar/src/usage/avatar-usage';
import { Session, addUser, bearer, registerDealership } from './support/auth-helpers';
import { FakeHeyGenServer, FakeLiveAvatarServer } from './support/fake-avatar-vendor';
import { FakeOpenAiServer, fakeLlmEnv } from './support/fake-openai-server';
import { FakeOpenAiAudioServer, fakeAudio } from './support/fake-voice-servers';
import { readSse } from './support/sse-client';
import { TestContext } from './support/test-context';
import { waitFor } from './support/wait-for';

const WARRANTY = `# Warranty

The powertrain warranty covers the engine and transmission for five years or 60,000 miles.
Body panels are protected against rust-through for seven years with unlimited mileage.
`;
const ANSWER = 'The powertrain warranty lasts five years [1]. It covers the engine and transmission [1]. Rust-through protection lasts seven years.';
const QUESTION = 'What is the warranty on the powertrain?';
const SPOKEN = ['The powertrain warranty lasts five years.', 'It covers the engine and transmission.', 'Rust-through protection lasts seven years.'];

/**
 * Talking-avatar sessions through the real api, worker, Postgres and Redis, with local servers
 * speaking HeyGen's and LiveAvatar's wire formats that record exactly what the avatar was
 * asked to say.
 */
describe('avatar sessions', () => {
  let ctx: TestContext;
  let llm: FakeOpenAiServer;
  let heygen: FakeHeyGenServer;
  let liveAvatar: FakeLiveAvatarServer;
  let worker: INestApplication;
  let api: NestExpressApplication;
  let pod2: NestExpressApplication | undefined;
  let fullApi: NestExpressApplication;
  let liteApi: NestExpressApplication;
  let tts: FakeOpenAiAudioServer;
  let bareApi: NestExpressApplication;
  let sweep: AvatarSessionSweep;
  let alpha: Session;
  let alphaStaff: Session;
  let beta: Session;

  const avatarEnv = () => ({
    AVATAR_PROVIDER: 'heygen',
    HEYGEN_API_KEY: FakeHeyGenServer.API_KEY,
    HEYGEN_BASE_URL: heygen.baseUrl,
    HEYGEN_AVATAR_NAME: 'Wayne_20240711',
    AVATAR_MAX_CONCURRENT_SESSIONS: '2',
    AVATAR_MONTHLY_MINUTES: '30',
    PROVIDER_MAX_RETRIES: '1',
  });

  beforeAll(async () => {
    [llm, heygen, liveAvatar, tts] = await Promise.all([FakeOpenAiServer.start(), FakeHeyGenServer.start(), FakeLiveAvatarServer.start(), FakeOpenAiAudioServer.start()]);
    ctx = await TestContext.create();
    const base = { ...fakeLlmEnv(llm), LLM_MAX_RETRIES: '0', WORKER_QUEUES: 'ingestion,embeddings', RATE_LIMIT_USER_PER_MINUTE: '10000', RATE_LIMIT_USER_PER_SECOND: '1000' };
    const config = ctx.config({ ...base, ...avatarEnv() });
    worker = await createWorkerApp(config);
    await worker.init();
    sweep = worker.get(AvatarSessionSweep);
    // Built first: passport's strategies belong to the last app built, and this pod dies mid-suite.
    pod2 = await createApiApp(config);
    await pod2.listen(0, '127.0.0.1');
    api = await createApiApp(config);
    await api.listen(0, '127.0.0.1');
    fullApi = await createApiApp(
      ctx.config({ ...base, AVATAR_PROVIDER: 'liveavatar', LIVEAVATAR_API_KEY: FakeLiveAvatarServer.API_KEY, LIVEAVATAR_BASE_URL: liveAvatar.baseUrl, LIVEAVATAR_AVATAR_ID: 'dealer-anna', LIVEAVATAR_MODE: 'full', AVATAR_MAX_CONCURRENT_SESSIONS: '50' }),
    );
    await fullApi.listen(0, '127.0.0.1');
    liteApi = await createApiApp(
      ctx.config({
        ...base,
        AVATAR_PROVIDER: 'liveavatar',
        LIVEAVATAR_API_KEY: FakeLiveAvatarServer.API_KEY,
        LIVEAVATAR_BASE_URL: liveAvatar.baseUrl,
        LIVEAVATAR_AVATAR_ID: 'dealer-anna',
        LIVEAVATAR_MODE: 'lite',
        AVATAR_MAX_CONCURRENT_SESSIONS: '50',
        VOICE_TTS_PROVIDER: 'openai',
        VOICE_OPENAI_API_KEY: 'sk-voice-test',
        VOICE_OPENAI_BASE_URL: tts.baseUrl,
      }),
    );
    await liteApi.listen(0, '127.0.0.1');
    bareApi = await createApiApp(ctx.config(base));
    await bareApi.listen(0, '127.0.0.1');
    alpha = await registerDealership(api, 'Alpha Avatar Motors');
    alphaStaff = await addUser(api, alpha, 'staff');
    beta = await registerDealership(api, 'Beta Avatar Motors');
    const upload = await request(api.getHttpServer()).post('/api/v1/documents').set(bearer(alpha.accessToken)).attach('file', Buffer.from(WARRANTY), 'warranty.md').expect(202);
    await waitFor('warranty ready', async () => (await request(api.getHttpServer()).get(`/api/v1/documents/${upload.body.id}`).set(bearer(alpha.accessToken))).body.status === 'ready');
    // Five apps and a worker on a shared 2-core machine: more than the default 30 s when it is busy.
  }, 120_000);

  afterAll(async () => {
    await Promise.all([api?.close(), pod2?.close(), fullApi?.close(), liteApi?.close(), bareApi?.close(), worker?.close()]);
    await ctx?.dispose();
    await Promise.all([llm?.close(), heygen?.close(), liveAvatar?.close(), tts?.close()]);
  });

  beforeEach(async () => {
    llm.reset();
    llm.reply({ text: ANSWER });
    heygen.reset();
    liveAvatar.reset();
    tts.reset();
    await ctx.db.query(`DELETE FROM avatar_sessions`);
  });

  const http = (app: INestApplication = api) => request(app.getHttpServer());
  const start = (session: Session, body: Record<string, unknown> = {}, app: INestApplication = api) => http(app).post('/api/v1/avatar/sessions').set(bearer(session.accessToken)).send(body);
  const row = async (id: string) => (await ctx.db.query(`SELECT * FROM avatar_sessions WHERE id = $1`, [id])).rows[0];
  const speakSse = async (app: NestExpressApplication, session: Session, id: string, content: string) =>
    readSse(`${await app.getUrl()}/api/v1/avatar/sessions/${id}/speak`, {
      method: 'POST',
      headers: { ...bearer(session.accessToken), accept: 'text/event-stream', 'content-type': 'application/json' },
      body: JSON.stringify({ content }),
    });

  it('answers 503 AVATAR_NOT_CONFIGURED when no provider is configured', async () => {
    const res = await start(alpha, {}, bareApi).expect(503);
    expect(res.body.error.code).toBe('AVATAR_NOT_CONFIGURED');
  });

  it('starts a HeyGen session and gives the browser only its LiveKit credentials', async () => {
    const res = await start(alpha, { voice: 'voice-1' }).expect(201);
    expect(res.body).toMatchObject({ provider: 'heygen', mode: 'repeat', status: 'active', livekitUrl: 'wss://heygen.livekit.fake.example', livekitToken: expect.stringMatching(/^lk-client-/), conversationId: expect.any(String) });
    const vendor = heygen.only();
    expect(vendor.state).toBe('started');
    expect(vendor.config).toMatchObject({ avatar_name: 'Wayne_20240711', voice: { voice_id: 'voice-1' }, version: 'v2' });
    expect(JSON.stringify(res.body)).not.toContain(vendor.token);
    expect(JSON.stringify(res.body)).not.toContain(FakeHeyGenServer.API_KEY);
    const got = await http().get(`/api/v1/avatar/sessions/${res.body.id}`).set(bearer(alpha.accessToken)).expect(200);
    expect(got.body).toMatchObject({ id: res.body.id, status: 'active' });
    expect(JSON.stringify(got.body)).not.toContain(vendor.token);
  });

  it('has the avatar say the grounded answer sentence by sentence, nothing else, and stores it in the conversation', async () => {
    const { body: session } = await start(alpha).expect(201);
    llm.reply({ text: ANSWER, tokenDelayMs: 25 });
    const { status, events } = await speakSse(api, alpha, session.id, QUESTION);
    expect(status).toBe(200);
    const names = events.map((e) => e.event);
    expect(names).toContain('token');
    expect(names.slice(-1)).toEqual(['avatar.done']);
    expect(names.filter((n) => n === 'done')).toHaveLength(1);
    expect(events.filter((e) => e.event === 'avatar.speaking').map((e) => (e.data as { text: string }).text)).toEqual(SPOKEN);
    // The first sentence went to the avatar while the answer was still streaming.
    expect(names.indexOf('avatar.speaking')).toBeLessThan(names.lastIndexOf('token'));
    expect(heygen.said).toEqual(SPOKEN);
    expect(heygen.taskTypes).toEqual(['repeat', 'repeat', 'repeat']);
    const conversation = await http().get(`/api/v1/conversations/${session.conversationId}`).set(bearer(alpha.accessToken)).expect(200);
    expect(conversation.body.messages.map((m: { role: string; content: string }) => [m.role, m.content])).toEqual([
      ['user', QUESTION],
      ['assistant', ANSWER],
    ]);
  });

  it('answers JSON with the spoken sentences, and says "I don\'t know" when nothing relevant is known', async () => {
    const { body: session } = await start(alpha).expect(201);
    const res = await http().post(`/api/v1/avatar/sessions/${session.id}/speak`).set(bearer(alpha.accessToken)).send({ content: QUESTION }).expect(201);
    expect(res.body.spoken).toEqual(SPOKEN);
    heygen.only().said.length = 0;
    const unknown = await http().post(`/api/v1/avatar/sessions/${session.id}/speak`).set(bearer(alpha.accessToken)).send({ content: 'Zebra quantum pizza?' }).expect(201);
    expect(unknown.body.spoken.length).toBeGreaterThan(0);
    expect(heygen.said).toEqual(unknown.body.spoken);
    expect(unknown.body.spoken.join(' ')).not.toContain('powertrain');
  });

  it('interrupts and stops at the vendor; an ended session refuses to speak', async () => {
    const { body: session } = await start(alpha).expect(201);
    await http().post(`/api/v1/avatar/sessions/${session.id}/interrupt`).set(bearer(alpha.accessToken)).expect(200);
    expect(heygen.only().commands).toEqual(['interrupt']);
    const ended = await http().delete(`/api/v1/avatar/sessions/${session.id}`).set(bearer(alpha.accessToken)).expect(200);
    expect(ended.body).toMatchObject({ status: 'ended', endReason: 'client_stopped', livekitToken: null });
    expect(heygen.only().state).toBe('stopped');
    const refused = await http().post(`/api/v1/avatar/sessions/${session.id}/speak`).set(bearer(alpha.accessToken)).send({ content: 'Hello?' }).expect(409);
    expect(refused.body.error.code).toBe('AVATAR_SESSION_ENDED');
    expect(heygen.said).toEqual([]);
  });

  it("answers 404 on every endpoint for another dealership's session, and for a colleague's", async () => {
    const { body: session } = await start(alpha).expect(201);
    for (const who of [beta, alphaStaff]) {
      const calls = [
        http().get(`/api/v1/avatar/sessions/${session.id}`),
        http().post(`/api/v1/avatar/sessions/${session.id}/keep-alive`),
        http().post(`/api/v1/avatar/sessions/${session.id}/speak`).send({ content: 'Say something rude.' }),
        http().post(`/api/v1/avatar/sessions/${session.id}/interrupt`),
        http().delete(`/api/v1/avatar/sessions/${session.id}`),
      ];
      for (const call of calls) {
        const res = await call.set(bearer(who.accessToken)).expect(404);
        expect(res.body.error.code).toBe('AVATAR_SESSION_NOT_FOUND');
      }
    }
    const foreignConversation = (await http().post('/api/v1/conversations').set(bearer(beta.accessToken)).send({}).expect(201)).body.id;
    expect((await start(alpha, { conversationId: foreignConversation }).expect(404)).body.error.code).toBe('CONVERSATION_NOT_FOUND');
    expect(heygen.said).toEqual([]);
    expect(heygen.only().commands).toEqual([]);
    expect((await row(session.id)).status).toBe('active');
  });

  it('a session the vendor dropped mid-answer is ended, the stream says so, and nothing more is sent', async () => {
    const { body: session } = await start(alpha).expect(201);
    heygen.drop(heygen.only().id);
    const { events } = await speakSse(api, alpha, session.id, QUESTION);
    expect(events.filter((e) => e.event === 'avatar.ended').map((e) => e.data)).toEqual([{ sessionId: session.id, reason: 'provider_dropped' }]);
    expect(events.filter((e) => e.event === 'avatar.speaking')).toEqual([]);
    expect(events.at(-1)).toMatchObject({ event: 'avatar.done', data: { sentences: 0, stopped: 'ended' } });
    // The answer itself is complete and stored; only the avatar stopped.
    expect(events.filter((e) => e.event === 'done')).toHaveLength(1);
    expect(heygen.callsTo('/v1/streaming.task')).toHaveLength(1);
    expect(await row(session.id)).toMatchObject({ status: 'ended', end_reason: 'provider_dropped' });
  });

  it('refuses a session over the concurrent or monthly quota with 429 AVATAR_QUOTA_EXCEEDED', async () => {
    const first = (await start(alpha).expect(201)).body;
    await start(alphaStaff).expect(201);
    const over = await start(alpha).expect(429);
    expect(over.body.error).toMatchObject({ code: 'AVATAR_QUOTA_EXCEEDED', details: [{ field: 'concurrentSessions' }] });
    expect(heygen.sessions.size).toBe(2);
    // Another dealership has its own quota.
    await start(beta).expect(201);
    await http().delete(`/api/v1/avatar/sessions/${first.id}`).set(bearer(alpha.accessToken)).expect(200);
    await ctx.db.query(`UPDATE avatar_sessions SET seconds_used = 30 * 60 WHERE id = $1`, [first.id]);
    const minutes = await start(alpha).expect(429);
    expect(minutes.body.error.details).toEqual([{ field: 'monthlyMinutes', message: expect.any(String) }]);
  });

  it('keeps sessions alive at the vendor and ends those past a limit, whose client vanished, or that the vendor dropped', async () => {
    const ids = await Promise.all([start(alpha), start(alphaStaff), start(beta)].map(async (r) => (await r.expect(201)).body.id as string));
    const [kept, gone, dropped] = ids;
    await ctx.db.query(`UPDATE avatar_sessions SET keep_alive_at = now() - interval '10 minutes'`);
    await ctx.db.query(`UPDATE avatar_sessions SET client_seen_at = now() - interval '10 minutes' WHERE id = $1`, [gone]);
    heygen.drop((await row(dropped)).provider_session_id);
    const result = await sweep.sweep();
    expect(result).toEqual({ ended: { client_gone: 1, provider_dropped: 1 }, keptAlive: 1 });
    expect(heygen.sessions.get((await row(kept)).provider_session_id)!.keepAlives).toBe(1);
    expect(heygen.sessions.get((await row(gone)).provider_session_id)!.state).toBe('stopped');
    expect(await row(gone)).toMatchObject({ status: 'ended', end_reason: 'client_gone' });
    const told = await http().get(`/api/v1/avatar/sessions/${dropped}`).set(bearer(beta.accessToken)).expect(200);
    expect(told.body).toMatchObject({ status: 'ended', endReason: 'provider_dropped' });
    // Idle and over-long sessions end too.
    await ctx.db.query(`UPDATE avatar_sessions SET last_active_at = now() - interval '1 day' WHERE id = $1`, [kept]);
    expect((await sweep.sweep()).ended).toEqual({ idle: 1 });
    const late = (await start(alpha).expect(201)).body.id;
    await ctx.db.query(`UPDATE avatar_sessions SET expires_at = now() - interval '1 second' WHERE id = $1`, [late]);
    expect((await sweep.sweep()).ended).toEqual({ max_duration: 1 });
    expect((await row(late)).seconds_used).toBeGreaterThanOrEqual(0);
    expect([...heygen.sessions.values()].filter((s) => s.state !== 'stopped')).toEqual([]);
  });

  it('a session outlives the pod that started it, and the sweep ends it once its client is gone or its start never finished', async () => {
    const { body: session } = await start(alpha, {}, pod2).expect(201);
    await pod2!.close();
    pod2 = undefined;
    // The other pod carries on with the session.
    const { events } = await speakSse(api, alpha, session.id, QUESTION);
    expect(events.filter((e) => e.event === 'avatar.speaking')).toHaveLength(3);
    expect(heygen.said).toEqual(SPOKEN);
    // A pod that died during a start leaves a `starting` row.
    await ctx.db.query(
      `INSERT INTO avatar_sessions (id, dealership_id, user_id, conversation_id, provider, mode, status, last_active_at, client_seen_at, expires_at, created_at)
       SELECT gen_random_uuid(), dealership_id, user_id, conversation_id, provider, mode, 'starting', now(), now(), now() + interval '1 hour', now() - interval '1 hour' FROM avatar_sessions WHERE id = $1`,
      [session.id],
    );
    await ctx.db.query(`UPDATE avatar_sessions SET client_seen_at = now() - interval '10 minutes' WHERE id = $1`, [session.id]);
    expect((await sweep.sweep()).ended).toEqual({ client_gone: 1, start_failed: 1 });
    expect(heygen.only().state).toBe('stopped');
  });

  it('retries a failing start, and ends the row when the vendor cannot start a session', async () => {
    heygen.failNext('/v1/streaming.new', 503);
    await start(alpha).expect(201);
    heygen.reset();
    heygen.failNext('/v1/streaming.start', 500, 2);
    const failed = await start(alpha).expect(502);
    expect(failed.body.error.code).toBe('AVATAR_PROVIDER_ERROR');
    expect(heygen.only().state).toBe('stopped');
    const rows = (await ctx.db.query(`SELECT status, end_reason FROM avatar_sessions WHERE end_reason = 'start_failed'`)).rows;
    expect(rows).toEqual([{ status: 'ended', end_reason: 'start_failed' }]);
  });

  it('LiveAvatar FULL: never the vendor LLM; each sentence becomes the exact avatar.speak_text command for the console to relay', async () => {
    const { body: session } = await start(alpha, {}, fullApi).expect(201);
    expect(session).toMatchObject({ provider: 'liveavatar', mode: 'full', livekitToken: expect.stringMatching(/^lk-client-/) });
    expect(liveAvatar.only().config).toMatchObject({ mode: 'FULL', avatar_id: 'dealer-anna', interactivity_type: 'PUSH_TO_TALK' });
    const { events } = await speakSse(fullApi, alpha, session.id, QUESTION);
    const commands = events.filter((e) => e.event === 'avatar.speaking').map((e) => (e.data as { clientCommand: { topic: string; payload: Record<string, unknown> } }).clientCommand);
    expect(commands.map((c) => c.topic)).toEqual(['agent-control', 'agent-control', 'agent-control']);
    expect(commands.map((c) => c.payload.event_type)).toEqual(['avatar.speak_text', 'avatar.speak_text', 'avatar.speak_text']);
    expect(commands.map((c) => c.payload.text)).toEqual(SPOKEN);
    expect(JSON.stringify(events)).not.toContain('speak_response');
    const vendor = liveAvatar.only();
    await ctx.db.query(`UPDATE avatar_sessions SET keep_alive_at = now() - interval '10 minutes'`);
    await fullApi.get(AvatarSessionSweep).sweep();
    expect(vendor.keepAlives).toBe(1);
    await http(fullApi).delete(`/api/v1/avatar/sessions/${session.id}`).set(bearer(alpha.accessToken)).expect(200);
    expect(vendor.state).toBe('stopped');
  });

  it('LiveAvatar LITE: our own speech of each sentence goes over the session WebSocket, one speaking event per turn; a vendor close ends the session', async () => {
    const { body: session } = await start(alpha, {}, liteApi).expect(201);
    expect(session).toMatchObject({ provider: 'liveavatar', mode: 'lite' });
    expect(liveAvatar.only().config).toEqual({ mode: 'LITE', avatar_id: 'dealer-anna', is_sandbox: false });
    // The fake TTS answers every sentence with the same audio; the avatar must get exactly that audio, once per sentence.
    liveAvatar.decodeAudio = (audio) => (audio.equals(fakeAudio(tts.speechBytes)) ? 'our speech' : `unexpected ${audio.length} bytes`);
    const { events } = await speakSse(liteApi, alpha, session.id, QUESTION);
    expect(events.filter((e) => e.event === 'avatar.speaking').map((e) => (e.data as { text: string }).text)).toEqual(SPOKEN);
    const speech = tts.requests.filter((r) => r.path === '/v1/audio/speech').map((r) => r.fields);
    expect(speech.map((f) => [f.input, f.response_format])).toEqual(SPOKEN.map((text) => [text, 'pcm']));
    await waitFor('speak end', async () => liveAvatar.only().commands.includes('agent.speak_end'));
    expect(liveAvatar.only().said).toEqual(['our speech', 'our speech', 'our speech']);
    expect(liveAvatar.only().commands).toEqual(['agent.speak_end']);
    // The vendor closes the session: the row ends and the client is told.
    liveAvatar.drop(liveAvatar.only().id);
    await waitFor('session ended', async () => (await row(session.id)).status === 'ended');
    const told = await http(liteApi).get(`/api/v1/avatar/sessions/${session.id}`).set(bearer(alpha.accessToken)).expect(200);
    expect(told.body).toMatchObject({ status: 'ended', endReason: 'provider_closed' });
  });

  it('avatar.* socket commands speak, keep alive and end a session; another dealership gets AVATAR_SESSION_NOT_FOUND', async () => {
    const { body: session } = await start(alpha).expect(201);
    const connect = async (who: Session) => {
      const socket = io(await api.getUrl(), { path: '/api/v1/ws', transports: ['websocket'], auth: { token: who.accessToken }, reconnection: false, forceNew: true });
      const received: { event: string; payload: Record<string, unknown> }[] = [];
      socket.onAny((event: string, payload: Record<string, unknown>) => received.push({ event, payload }));
      await new Promise<void>((resolve, reject) => socket.once('connect', () => resolve()).once('connect_error', reject));
      return { socket, received, command: (event: string, payload: unknown) => socket.timeout(10_000).emitWithAck(event, payload) as Promise<Record<string, unknown>> };
    };
    const mine = await connect(alpha);
    const foreign = await connect(beta);
    try {
      expect(await mine.command('avatar.speak', { sessionId: session.id, content: QUESTION, requestId: 'q1' })).toEqual({ ok: true, requestId: 'q1', turnId: expect.any(String), spoken: 3 });
      expect(heygen.said).toEqual(SPOKEN);
      const speaking = mine.received.filter((r) => r.event === 'avatar.speaking').map((r) => r.payload);
      expect(speaking.map((p) => [p.text, p.sessionId, p.requestId])).toEqual(SPOKEN.map((text) => [text, session.id, 'q1']));
      expect(mine.received.some((r) => r.event === 'done' && r.payload.sessionId === session.id)).toBe(true);
      for (const event of ['avatar.speak', 'avatar.keepalive', 'avatar.interrupt', 'avatar.end']) {
        const refused = await foreign.command(event, event === 'avatar.speak' ? { sessionId: session.id, content: 'Say something rude.' } : { sessionId: session.id });
        expect(refused).toMatchObject({ error: { code: 'AVATAR_SESSION_NOT_FOUND' } });
      }
      expect(heygen.said).toEqual(SPOKEN);
      expect(await mine.command('avatar.keepalive', { sessionId: session.id })).toMatchObject({ ok: true, session: { status: 'active' } });
      expect(await mine.command('avatar.end', { sessionId: session.id })).toMatchObject({ ok: true, session: { status: 'ended', endReason: 'client_stopped' } });
      expect(heygen.only().state).toBe('stopped');
    } finally {
      mine.socket.disconnect();
      foreign.socket.disconnect();
    }
  });

  it('reports avatar minutes per day with the estimated cost, per dealership', async () => {
    const [a, b] = await Promise.all([start(alpha), start(alphaStaff)].map(async (r) => (await r.expect(201)).body.id as string));
    const other = (await start(beta).expect(201)).body.id as string;
    await ctx.db.query(`UPDATE avatar_sessions SET started_at = now() - interval '135 seconds' WHERE id = ANY($1)`, [[a, b, other]]);
    await http().delete(`/api/v1/avatar/sessions/${a}`).set(bearer(alpha.accessToken)).expect(200);
    const today = new Date().toISOString().slice(0, 10);
    const report = await worker.get(AvatarUsage).report({ dealershipId: alpha.dealership.id }, { from: today, to: today });
    // One ended session of ~135 s and one still open: 270-299 s, 5 started minutes at the default 0.1 USD.
    expect(report.items).toEqual([{ day: today, provider: 'heygen', sessions: 2, seconds: expect.any(Number), minutes: 5, estimatedCostUsd: 0.5 }]);
    expect(report.items[0].seconds).toBeGreaterThanOrEqual(270);
    expect(report.totals).toMatchObject({ sessions: 2, minutes: 5, estimatedCostUsd: 0.5 });
    expect((await worker.get(AvatarUsage).report({ dealershipId: beta.dealership.id }, { from: today, to: today })).totals.sessions).toBe(1);
    // Admins read it in GET /usage, beside the LLM's usage, and its cost counts in the total.
    const viaHttp = await http().get('/api/v1/usage').set(bearer(alpha.accessToken)).expect(200);
    expect(viaHttp.body.sections.avatar).toMatchObject({ items: [{ day: today, provider: 'heygen', sessions: 2, minutes: 5, estimatedCostUsd: 0.5 }], totals: { sessions: 2 } });
    expect(viaHttp.body.estimatedCostUsd).toBeCloseTo(viaHttp.body.totals.estimatedCostUsd + 0.5 + (viaHttp.body.sections.voice?.totals.estimatedCostUsd ?? 0), 6);
    const betaView = await http().get('/api/v1/usage').set(bearer(beta.accessToken)).expect(200);
    expect(betaView.body.sections.avatar.totals.sessions).toBe(1);
  });
});
