import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { createApiApp } from '../apps/api/src/create-api-app';
import { createWorkerApp } from '../apps/worker/src/create-worker-app';
import { Session, bearer, registerDealership } from './support/auth-helpers';
import { FakeOpenAiAudioServer } from './support/fake-voice-servers';
import { TestContext } from './support/test-context';
import { TestSocket } from './support/test-socket';
import { waitFor } from './support/wait-for';

const WARRANTY = `# Warranty

## Powertrain

The powertrain warranty covers the engine and transmission for five years or sixty thousand miles. Repairs under the powertrain warranty are free of charge at any Aldera dealer.
`;
const RATE = 24_000;
const FRAME_BYTES = (RATE / 50) * 2; // 20 ms

/**
 * Spoken turns over the real WebSocket gateway with the real socket.io client, the offline
 * voice engines (flite, sox, pocketsphinx) and the local extractive LLM, against the real api,
 * worker, Postgres and Redis.
 */
describe('spoken turns over the WebSocket gateway', () => {
  let ctx: TestContext;
  let worker: INestApplication;
  let api: NestExpressApplication;
  let slowSpeech: NestExpressApplication;
  let fakeTts: FakeOpenAiAudioServer;
  let base: string;
  let slowBase: string;
  let alpha: Session;
  let beta: Session;
  let question: Buffer;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    ctx = await TestContext.create();
    fakeTts = await FakeOpenAiAudioServer.start();
    // Speech that lasts: 2 s of audio per sentence, streamed in real time, so there is time to barge in.
    fakeTts.speechBytes = 96_000;
    fakeTts.chunkDelayMs = 100;
    const env = {
      WORKER_QUEUES: 'ingestion,embeddings',
      VOICE_SILENCE_MS: '700',
      VOICE_MAX_AUDIO_SECONDS: '6',
      CHAT_RESUME_GRACE_MS: '200',
      RATE_LIMIT_USER_PER_MINUTE: '10000',
      RATE_LIMIT_USER_PER_SECOND: '1000',
    };
    worker = await createWorkerApp(ctx.config(env));
    api = (await createApiApp(ctx.config(env))) as NestExpressApplication;
    slowSpeech = (await createApiApp(ctx.config({ ...env, VOICE_TTS_PROVIDER: 'openai', VOICE_OPENAI_API_KEY: 'sk-voice-test', VOICE_OPENAI_BASE_URL: fakeTts.baseUrl }))) as NestExpressApplication;
    await worker.init();
    await api.listen(0, '127.0.0.1');
    await slowSpeech.listen(0, '127.0.0.1');
    base = await api.getUrl();
    slowBase = await slowSpeech.getUrl();
    alpha = await registerDealership(api, 'Alpha Spoken Motors');
    beta = await registerDealership(api, 'Beta Spoken Motors');
    const doc = await http().post('/api/v1/documents').set(bearer(alpha.accessToken)).attach('file', Buffer.from(WARRANTY), 'warranty.md').expect(202);
    await waitFor('warranty ready', async () => (await http().get(`/api/v1/documents/${doc.body.id}`).set(bearer(alpha.accessToken))).body.status === 'ready', 60_000);
    question = await pcmOf('What does the powertrain warranty cover?');
  }, 150_000);

  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await Promise.all([api?.close(), slowSpeech?.close(), worker?.close()]);
    await ctx?.dispose();
    await fakeTts?.close();
  });

  const http = () => request(api.getHttpServer());

  async function pcmOf(text: string): Promise<Buffer> {
    const res = await http().post('/api/v1/voice/speech').set(bearer(alpha.accessToken)).send({ text, format: 'pcm' }).buffer(true).parse((r, done) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => done(null, Buffer.concat(chunks)));
    }).expect(200);
    return res.body as Buffer;
  }

  async function connect(session: Session, at = base): Promise<TestSocket> {
    const socket = await new TestSocket(at, session.accessToken).opened();
    sockets.push(socket);
    return socket;
  }

  async function conversation(session: Session): Promise<string> {
    return (await http().post('/api/v1/conversations').set(bearer(session.accessToken)).send({}).expect(201)).body.id;
  }

  async function messagesOf(session: Session, id: string): Promise<{ role: string; content: string; status?: string }[]> {
    return (await http().get(`/api/v1/conversations/${id}`).set(bearer(session.accessToken)).expect(200)).body.messages;
  }

  /** Sends audio as 20 ms binary frames, the way an AudioWorklet would. */
  function sendAudio(socket: TestSocket, pcm: Buffer): void {
    for (let offset = 0; offset < pcm.length; offset += FRAME_BYTES) socket.socket.emit('voice.audio', pcm.subarray(offset, offset + FRAME_BYTES));
  }

  const silence = (seconds: number) => Buffer.alloc(Math.round(seconds * RATE) * 2);
  /** A steady 220 Hz tone: loud enough to count as speech all the way, so only the length limit ends it. */
  function tone(seconds: number): Buffer {
    const samples = Buffer.alloc(Math.round(seconds * RATE) * 2);
    for (let i = 0; i < samples.length / 2; i += 1) samples.writeInt16LE(Math.round(8_000 * Math.sin((2 * Math.PI * 220 * i) / RATE)), i * 2);
    return samples;
  }

  it('hears a question, ends it on silence, answers with chat events and speech frames in order, and stores the turn', async () => {
    const socket = await connect(alpha);
    const conversationId = await conversation(alpha);
    const ack = await socket.command('voice.start', { conversationId, sampleRate: RATE, format: 'pcm16', requestId: 'turn-1' });
    expect(ack).toMatchObject({ ok: true, requestId: 'turn-1', turnId: expect.any(String) });
    sendAudio(socket, Buffer.concat([question, silence(1)]));
    const done = await socket.waitForEvent('voice.done', (p) => p.turnId === ack.turnId);
    expect(done).toMatchObject({ status: 'completed', requestId: 'turn-1', transcript: 'what does the powertrain warranty cover', messageId: expect.any(String) });
    expect(socket.events('voice.transcript')).toEqual([{ turnId: ack.turnId, requestId: 'turn-1', text: 'what does the powertrain warranty cover', final: true }]);
    // chat's events, exactly as chat.ask sends them.
    const chatEvents = socket.received.filter((r) => ['token', 'citations', 'done'].includes(r.event));
    expect(chatEvents.at(-1)!.event).toBe('done');
    expect(chatEvents[0].payload).toMatchObject({ conversationId, messageId: done.messageId, requestId: 'turn-1', id: `${done.messageId as string}:1` });
    const answer = chatEvents.filter((e) => e.event === 'token').map((e) => e.payload.delta).join('');
    expect(answer).toContain('powertrain warranty covers the engine');
    // Speech: binary frames, numbered from 0 without gaps, all before voice.done.
    const audio = socket.events('voice.audio');
    expect(audio.length).toBeGreaterThan(3);
    expect(audio.map((a) => a.seq)).toEqual(audio.map((_, i) => i));
    expect(Buffer.isBuffer(audio[0].audio)).toBe(true);
    const order = socket.received.map((r) => r.event);
    expect(order.indexOf('voice.transcript')).toBeLessThan(order.indexOf('token'));
    expect(order.lastIndexOf('voice.audio')).toBeLessThan(order.indexOf('voice.done'));
    expect(done.sentences).toBeGreaterThanOrEqual(1);
    // Stored like chat.ask: the transcript as the user's message, the answer as the assistant's.
    const messages = await messagesOf(alpha, conversationId);
    expect(messages.map((m) => [m.role, m.content])).toEqual([['user', 'what does the powertrain warranty cover'], ['assistant', answer]]);
    // And resumable like chat: chat.resume replays the stored answer's events.
    const resumed = await socket.command('chat.resume', { messageId: done.messageId, requestId: 'resume-1' });
    expect(resumed).toMatchObject({ ok: true });
    await socket.waitForEvent('done', (p) => p.requestId === 'resume-1');
    const metrics = await http().get('/metrics').expect(200);
    expect(metrics.text).toMatch(/voice_turn_first_audio_seconds_count\{app="api",stt="local",tts="local"\} [1-9]/);
  });

  it('ends a turn on voice.stop without waiting for silence', async () => {
    const socket = await connect(alpha);
    const conversationId = await conversation(alpha);
    const { turnId } = await socket.command('voice.start', { conversationId, sampleRate: RATE, format: 'pcm16' });
    sendAudio(socket, question);
    expect(await socket.command('voice.stop', { turnId })).toMatchObject({ ok: true, turnId });
    const transcript = await socket.waitForEvent('voice.transcript');
    expect(transcript.text).toBe('what does the powertrain warranty cover');
    await socket.waitForEvent('voice.done', (p) => p.turnId === turnId && p.status === 'completed');
  });

  it('stops the answer and its speech at once on voice.interrupt (barge-in)', async () => {
    const socket = await connect(alpha, slowBase);
    const conversationId = await conversation(alpha);
    const { turnId } = await socket.command('voice.start', { conversationId, sampleRate: RATE, format: 'pcm16' });
    sendAudio(socket, question);
    await socket.command('voice.stop', { turnId });
    await socket.waitForEvent('voice.audio', (p) => p.turnId === turnId);
    expect(await socket.command('voice.interrupt', { turnId })).toMatchObject({ ok: true, interrupted: true });
    const doneAt = socket.received.length;
    expect(socket.events('voice.done')).toEqual([{ turnId, requestId: expect.any(String), status: 'interrupted', by: 'client' }]);
    await new Promise((resolve) => setTimeout(resolve, 600));
    const after = socket.received.slice(doneAt).map((r) => r.event);
    expect(after.filter((e) => ['voice.audio', 'token', 'done', 'voice.done'].includes(e))).toEqual([]);
    // The question was asked, so the conversation holds it and the (finished or interrupted) answer; nothing stays streaming.
    await waitFor('answer closed', async () => (await messagesOf(alpha, conversationId)).every((m) => m.status !== 'streaming'));
    expect((await messagesOf(alpha, conversationId)).map((m) => m.role)).toEqual(['user', 'assistant']);
  });

  it('takes speech heard during the answer as barge-in: the answer stops and the new speech is the next turn', async () => {
    const socket = await connect(alpha, slowBase);
    const conversationId = await conversation(alpha);
    const { turnId } = await socket.command('voice.start', { conversationId, sampleRate: RATE, format: 'pcm16' });
    sendAudio(socket, question);
    await socket.command('voice.stop', { turnId });
    await socket.waitForEvent('voice.audio', (p) => p.turnId === turnId);
    sendAudio(socket, Buffer.concat([question, silence(1)]));
    const next = await socket.waitForEvent('voice.listening');
    expect(next.after).toBe(turnId);
    expect(socket.events('voice.done')[0]).toMatchObject({ turnId, status: 'interrupted', by: 'barge-in' });
    await socket.waitForEvent('voice.done', (p) => p.turnId === next.turnId && p.status === 'completed');
  });

  it('finishes and stores the answer when the client disconnects mid-turn', async () => {
    const socket = await connect(alpha);
    const conversationId = await conversation(alpha);
    const { turnId } = await socket.command('voice.start', { conversationId, sampleRate: RATE, format: 'pcm16' });
    sendAudio(socket, question);
    await socket.command('voice.stop', { turnId });
    await socket.waitForEvent('voice.transcript');
    socket.close();
    await waitFor('answer stored', async () => {
      const messages = await messagesOf(alpha, conversationId);
      return messages.length === 2 && messages[1].status !== 'streaming';
    });
    expect((await messagesOf(alpha, conversationId))[0].content).toBe('what does the powertrain warranty cover');
  });

  it('gives bad audio clear errors and writes nothing: wrong rate, silence, too long, odd frames, no turn, another dealership', async () => {
    const socket = await connect(alpha);
    const conversationId = await conversation(alpha);
    const wrongRate = await socket.command('voice.start', { conversationId, sampleRate: 12_345, format: 'pcm16' });
    expect(wrongRate.error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'sampleRate', message: expect.stringContaining('16000') }] });

    const quiet = await socket.command('voice.start', { conversationId, sampleRate: RATE, format: 'pcm16' });
    sendAudio(socket, silence(1));
    await socket.command('voice.stop', { turnId: quiet.turnId });
    await socket.waitForEvent('voice.done', (p) => p.turnId === quiet.turnId);
    expect(socket.events('error').at(-1)).toMatchObject({ event: 'voice.audio', turnId: quiet.turnId, error: { code: 'NO_SPEECH_DETECTED' } });

    const long = await socket.command('voice.start', { conversationId, sampleRate: RATE, format: 'pcm16' });
    sendAudio(socket, tone(7));
    await socket.waitForEvent('voice.done', (p) => p.turnId === long.turnId && p.status === 'failed');
    expect(socket.events('error').find((e) => e.turnId === long.turnId)).toMatchObject({ error: { code: 'AUDIO_TOO_LONG' } });
    // The rest of the recording arrives with no turn listening: told once, not once per frame.
    await waitFor('no-turn error', () => socket.events('error').some((e) => (e.error as { code: string }).code === 'VOICE_NO_TURN'));
    expect(socket.events('error').filter((e) => (e.error as { code: string }).code === 'VOICE_NO_TURN')).toHaveLength(1);

    const odd = await socket.command('voice.start', { conversationId, sampleRate: RATE, format: 'pcm16' });
    socket.socket.emit('voice.audio', Buffer.alloc(3));
    await socket.waitForEvent('voice.done', (p) => p.turnId === odd.turnId && p.status === 'failed');
    expect(socket.events('error').at(-1)).toMatchObject({ turnId: odd.turnId, error: { code: 'INVALID_AUDIO' } });

    expect((await socket.command('voice.stop', {})).error).toMatchObject({ code: 'VOICE_NO_TURN' });

    const other = await (await connect(beta)).command('voice.start', { conversationId, sampleRate: RATE, format: 'pcm16' });
    expect(other.error).toMatchObject({ code: 'CONVERSATION_NOT_FOUND' });
    expect(await messagesOf(alpha, conversationId)).toEqual([]);
  });
});
