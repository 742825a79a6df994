import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { createApiApp } from '../apps/api/src/create-api-app';
import { mp3Bytes, silenceWav, toneWav } from './support/audio-fixtures';
import { Session, bearer, registerDealership } from './support/auth-helpers';
import { ELEVENLABS_TEST_KEY, ELEVENLABS_TEST_VOICE, FakeElevenLabsServer, FakeOpenAiAudioServer, fakeAudio } from './support/fake-voice-servers';
import { TestContext } from './support/test-context';

/**
 * Voice over the hosted providers' real SDKs (openai, @elevenlabs/elevenlabs-js, ws) against
 * local servers speaking their wire formats, through the real api, Postgres and Redis.
 */
describe('voice over the hosted providers', () => {
  let ctx: TestContext;
  let openai: FakeOpenAiAudioServer;
  let eleven: FakeElevenLabsServer;
  let viaOpenAi: NestExpressApplication;
  let viaRest: NestExpressApplication;
  let viaSocket: NestExpressApplication;
  let owner: Session;

  beforeAll(async () => {
    [openai, eleven] = await Promise.all([FakeOpenAiAudioServer.start(), FakeElevenLabsServer.start()]);
    ctx = await TestContext.create();
    const common = { VOICE_FIRST_BYTE_TIMEOUT_MS: '600', VOICE_MAX_RETRIES: '1', RATE_LIMIT_USER_PER_MINUTE: '10000', RATE_LIMIT_USER_PER_SECOND: '1000' };
    const elevenEnv = { ...common, VOICE_TTS_PROVIDER: 'elevenlabs', ELEVENLABS_API_KEY: ELEVENLABS_TEST_KEY, ELEVENLABS_BASE_URL: eleven.origin };
    viaOpenAi = (await createApiApp(ctx.config({ ...common, VOICE_STT_PROVIDER: 'openai', VOICE_TTS_PROVIDER: 'openai', VOICE_OPENAI_API_KEY: 'sk-voice-test', VOICE_OPENAI_BASE_URL: openai.baseUrl }))) as NestExpressApplication;
    viaRest = (await createApiApp(ctx.config(elevenEnv))) as NestExpressApplication;
    viaSocket = (await createApiApp(ctx.config({ ...elevenEnv, ELEVENLABS_TRANSPORT: 'websocket' }))) as NestExpressApplication;
    await Promise.all([viaOpenAi.init(), viaRest.init(), viaSocket.init()]);
    owner = await registerDealership(viaOpenAi, 'Hosted Voice Motors');
  });

  afterAll(async () => {
    await Promise.all([viaOpenAi?.close(), viaRest?.close(), viaSocket?.close()]);
    await ctx?.dispose();
    await Promise.all([openai?.close(), eleven?.close()]);
  });

  beforeEach(() => {
    openai.reset();
    eleven.reset();
  });

  const speak = (app: NestExpressApplication, body: object) =>
    request(app.getHttpServer()).post('/api/v1/voice/speech').set(bearer(owner.accessToken)).send(body).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
  const transcribe = (audio: Buffer, name: string) => request(viaOpenAi.getHttpServer()).post('/api/v1/voice/transcriptions').set(bearer(owner.accessToken)).attach('file', audio, name);

  it('transcribes compressed audio with whisper-1 (verbose_json), dropping segments Whisper marks as no speech', async () => {
    openai.transcript.segments = [{ text: ' Thank you for watching.', no_speech_prob: 0.93 }];
    const res = await transcribe(mp3Bytes(), 'clip.mp3').field('language', 'en').expect(200);
    expect(res.body).toEqual({ text: 'What does the powertrain warranty cover?', language: 'en', durationMs: 2_500 });
    expect(openai.requests).toHaveLength(1);
    expect(openai.requests[0].fields).toMatchObject({ model: 'whisper-1', response_format: 'verbose_json', language: 'en' });
    expect(openai.requests[0].file).toMatchObject({ name: 'audio.mp3', type: 'audio/mpeg', bytes: mp3Bytes().length });
    openai.transcript.segments = [];
  });

  it('refuses silence before paying for it, and retries a failed transcription only before any answer', async () => {
    expect((await transcribe(silenceWav(1), 'quiet.wav').expect(422)).body.error.code).toBe('NO_SPEECH_DETECTED');
    expect(openai.requests).toHaveLength(0);
    openai.failNext(1, 500);
    await transcribe(toneWav(1), 'tone.wav').expect(200);
    expect(openai.requests).toHaveLength(2);
  });

  it('streams OpenAI speech in the requested format and voice', async () => {
    const res = await speak(viaOpenAi, { text: 'The loaner is free.', voice: 'nova', format: 'mp3' }).expect(200);
    expect(res.headers['content-type']).toBe('audio/mpeg');
    expect(Buffer.compare(res.body as Buffer, fakeAudio(openai.speechBytes))).toBe(0);
    expect(openai.requests[0].fields).toEqual({ model: 'gpt-4o-mini-tts', voice: 'nova', input: 'The loaner is free.', response_format: 'mp3' });
  });

  it('gives a provider that sends nothing in time 504 VOICE_TIMEOUT, and a refused request 422', async () => {
    openai.queue({ hang: true });
    expect((await speak(viaOpenAi, { text: 'Anyone there?' }).expect(504)).body.toString()).toContain('VOICE_TIMEOUT');
    // The deadline ended the call: no retry was sent after it.
    expect(openai.requests).toHaveLength(1);
    openai.queue({ failWith: { status: 400, body: { error: { message: 'voice is not supported', type: 'invalid_request_error', param: 'voice', code: null } } } });
    const refused = JSON.parse(String((await speak(viaOpenAi, { text: 'Hi', voice: 'robot' }).expect(422)).body));
    expect(refused.error).toMatchObject({ code: 'VOICE_REJECTED', message: expect.stringContaining('voice is not supported') });
  });

  it('speaks through the ElevenLabs REST stream (the official SDK): PCM at 24 kHz, WAV with our header', async () => {
    const pcm = await speak(viaRest, { text: 'Hello there.', format: 'pcm' }).expect(200);
    expect(Buffer.compare(pcm.body as Buffer, fakeAudio('Hello there.'.length * eleven.bytesPerChar))).toBe(0);
    expect(eleven.requests[0]).toMatchObject({ method: 'POST', path: `/v1/text-to-speech/${ELEVENLABS_TEST_VOICE}/stream` });
    expect(eleven.requests[0].query.get('output_format')).toBe('pcm_24000');
    expect(eleven.requests[0].headers['xi-api-key']).toBe(ELEVENLABS_TEST_KEY);
    expect(eleven.requests[0].fields).toMatchObject({ text: 'Hello there.', model_id: 'eleven_flash_v2_5' });
    const wav = await speak(viaRest, { text: 'Hello there.', format: 'wav' }).expect(200);
    expect((wav.body as Buffer).toString('ascii', 0, 4)).toBe('RIFF');
    expect((wav.body as Buffer).readUInt32LE(24)).toBe(24_000);
    const unknown = JSON.parse(String((await speak(viaRest, { text: 'Hi', voice: 'NoSuchVoice' }).expect(422)).body));
    expect(unknown.error.code).toBe('VOICE_REJECTED');
  });

  it('speaks through the ElevenLabs stream-input WebSocket: opens with a space, flushes the text, closes with ""', async () => {
    const res = await speak(viaSocket, { text: 'Your car is ready.', format: 'mp3' }).expect(200);
    expect(Buffer.compare(res.body as Buffer, fakeAudio('Your car is ready. '.length * eleven.bytesPerChar))).toBe(0);
    expect(eleven.requests[0].path).toBe(`/v1/text-to-speech/${ELEVENLABS_TEST_VOICE}/stream-input`);
    expect(eleven.requests[0].query.get('model_id')).toBe('eleven_flash_v2_5');
    expect(eleven.requests[0].query.get('output_format')).toBe('mp3_44100_128');
    expect(eleven.socketMessages[0].map((m) => m.text)).toEqual([' ', 'Your car is ready. ', '']);
    expect(eleven.socketMessages[0][1]).toMatchObject({ flush: true });
  });

  it('counts what the hosted providers did in GET /usage with its estimated cost (VOICE_PRICES)', async () => {
    const usage = (await request(viaOpenAi.getHttpServer()).get('/api/v1/usage').set(bearer(owner.accessToken)).expect(200)).body;
    const openaiLine = usage.sections.voice.items.find((item: { provider: string }) => item.provider === 'openai');
    // Transcribed: 2.5 s (whisper's duration) + 1 s (the WAV's); characters: every speech request that finished.
    expect(openaiLine).toMatchObject({ transcriptions: 2, transcribedSeconds: 3.5 });
    const expected = (3.5 / 60) * 0.006 + (openaiLine.synthesizedCharacters / 1e6) * 15;
    expect(openaiLine.estimatedCostUsd).toBeCloseTo(expected, 6);
    expect(usage.sections.voice.items.some((item: { provider: string }) => item.provider === 'elevenlabs')).toBe(true);
    expect(usage.estimatedCostUsd).toBeCloseTo(usage.totals.estimatedCostUsd + usage.sections.voice.totals.estimatedCostUsd + (usage.sections.avatar?.totals.estimatedCostUsd ?? 0), 6);
  });

  it('opens the circuit after repeated provider failures: calls then fail at once with 503', async () => {
    openai.failNext(40, 503);
    for (let i = 0; i < 6; i += 1) await speak(viaOpenAi, { text: `Attempt ${i}` });
    const before = openai.requests.length;
    const shed = JSON.parse(String((await speak(viaOpenAi, { text: 'One more' }).expect(503)).body));
    expect(shed.error.code).toBe('PROVIDER_UNAVAILABLE');
    expect(openai.requests.length).toBe(before);
  });
});
