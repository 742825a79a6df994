import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { createApiApp } from '../apps/api/src/create-api-app';
import { createWorkerApp } from '../apps/worker/src/create-worker-app';
import { eightBitWav, mp3Bytes, silenceWav, toneWav, wavSamples } from './support/audio-fixtures';
import { Session, addUser, bearer, registerDealership } from './support/auth-helpers';
import { TestContext } from './support/test-context';
import { waitFor } from './support/wait-for';

const PRICE_LIST = [
  'Model,Trim,Body,Drivetrain,MSRP (USD)',
  'Aldera Pico,S,Hatchback,FWD,21450',
  'Aldera Ridgeway,LX,Compact SUV,AWD,31800',
  'Aldera Ridgeway,Touring,Compact SUV,AWD,37450',
  'Aldera Voltline,Long Range,Electric sedan,AWD,51600',
  'Aldera Haulmark,Summit,Pickup truck,4WD,54200',
].join('\n');
const WARRANTY = 'The powertrain warranty covers the engine and transmission for five years. A loaner car is provided during warranty repairs.';

/**
 * Voice over HTTP with the offline defaults (flite, sox and pocketsphinx as installed by
 * .ci/run), against the real api, worker, Postgres and Redis: the local round trip keeps the
 * words, the dealership's vocabulary keeps its model names, bad audio gets clear errors.
 */
describe('voice over HTTP with the local providers', () => {
  let ctx: TestContext;
  let worker: INestApplication;
  let api: NestExpressApplication;
  let off: NestExpressApplication;
  let alpha: Session;
  let beta: Session;

  beforeAll(async () => {
    ctx = await TestContext.create();
    const env = {
      WORKER_QUEUES: 'ingestion,embeddings',
      VOICE_MAX_AUDIO_SECONDS: '8',
      VOICE_UPLOAD_MAX_BYTES: '600000',
      VOICE_SPEECH_MAX_CHARS: '300',
      RATE_LIMIT_USER_PER_MINUTE: '10000',
      RATE_LIMIT_USER_PER_SECOND: '1000',
    };
    worker = await createWorkerApp(ctx.config(env));
    api = (await createApiApp(ctx.config(env))) as NestExpressApplication;
    off = (await createApiApp(ctx.config({ ...env, VOICE_STT_PROVIDER: 'off', VOICE_TTS_PROVIDER: 'off' }))) as NestExpressApplication;
    await worker.init();
    await api.init();
    await off.init();
    alpha = await registerDealership(api, 'Alpha Voice Motors');
    beta = await registerDealership(api, 'Beta Voice Motors');
    await upload(alpha, PRICE_LIST, 'prices.csv');
    await upload(alpha, WARRANTY, 'warranty.txt');
  }, 150_000);

  afterAll(async () => {
    await Promise.all([api?.close(), off?.close(), worker?.close()]);
    await ctx?.dispose();
  });

  const http = () => request(api.getHttpServer());

  async function upload(session: Session, text: string, name: string): Promise<void> {
    const res = await http().post('/api/v1/documents').set(bearer(session.accessToken)).attach('file', Buffer.from(text), name).expect(202);
    await waitFor(`${name} ready`, async () => (await http().get(`/api/v1/documents/${res.body.id}`).set(bearer(session.accessToken))).body.status === 'ready', 60_000);
  }

  const speak = (session: Session, body: object) =>
    http().post('/api/v1/voice/speech').set(bearer(session.accessToken)).send(body).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });

  const transcribe = (session: Session, audio: Buffer, name = 'speech.wav', app: INestApplication = api) =>
    request(app.getHttpServer()).post('/api/v1/voice/transcriptions').set(bearer(session.accessToken)).attach('file', audio, name);

  it('speaks text as a streamed 24 kHz WAV, and the local recogniser gets the words back', async () => {
    const spoken = await speak(alpha, { text: 'What does the powertrain warranty cover?' }).expect(200);
    expect(spoken.headers['content-type']).toBe('audio/wav');
    const wav = wavSamples(spoken.body as Buffer);
    expect(wav.sampleRate).toBe(24_000);
    expect(wav.samples.length).toBeGreaterThan(24_000); // more than half a second of speech
    const res = await transcribe(alpha, spoken.body as Buffer).expect(200);
    expect(res.body.text).toBe('what does the powertrain warranty cover');
    expect(res.body.language).toBe('en');
    expect(res.body.durationMs).toBe(Math.round((wav.samples.length / 2 / 24_000) * 1000));
  });

  it("keeps the dealership's model names with its vocabulary; a dealership without documents gets the generic model", async () => {
    const spoken = await speak(alpha, { text: 'How much is the Aldera Ridgeway Touring?', voice: 'rms' }).expect(200);
    const withVocabulary = await transcribe(alpha, spoken.body as Buffer).expect(200);
    expect(withVocabulary.body.text).toBe('how much is the aldera ridgeway touring');
    const generic = await transcribe(beta, spoken.body as Buffer).expect(200);
    expect(generic.body.text).not.toContain('aldera');
  });

  it('streams raw PCM and answers the same request again from the speech cache', async () => {
    const first = await speak(alpha, { text: 'The loaner car is free.', format: 'pcm' }).expect(200);
    expect(first.headers['content-type']).toBe('audio/L16;rate=24000;channels=1');
    expect(first.headers['x-speech-cache']).toBe('miss');
    const again = await speak(alpha, { text: 'The loaner car is free.', format: 'pcm' }).expect(200);
    expect(again.headers['x-speech-cache']).toBe('hit');
    expect(Buffer.compare(again.body as Buffer, first.body as Buffer)).toBe(0);
    // Another dealership does not share the entry.
    expect((await speak(beta, { text: 'The loaner car is free.', format: 'pcm' }).expect(200)).headers['x-speech-cache']).toBe('miss');
    const metrics = await http().get('/metrics').expect(200);
    expect(metrics.text).toMatch(/voice_speech_cache_lookups_total\{result="hit",app="api"\} [1-9]/);
  });

  it('refuses what the local synthesizer cannot make, text over the limit, and unknown voices', async () => {
    const mp3 = await speak(alpha, { text: 'Hello', format: 'mp3' }).expect(415);
    expect(JSON.parse(String(mp3.body)).error).toMatchObject({ code: 'UNSUPPORTED_AUDIO_FORMAT', message: expect.stringContaining('wav, pcm') });
    const long = await speak(alpha, { text: 'x'.repeat(301) }).expect(422);
    expect(JSON.parse(String(long.body)).error.details).toEqual([{ field: 'text', message: expect.stringContaining('at most 300') }]);
    const voice = await speak(alpha, { text: 'Hello', voice: 'nobody' }).expect(422);
    expect(JSON.parse(String(voice.body)).error.details[0].field).toBe('voice');
    expect(JSON.parse(String((await speak(alpha, { text: 'Hello', format: 'ogg' }).expect(422)).body)).error.code).toBe('VALIDATION_FAILED');
  });

  it('gives bad audio clear errors: not audio, compressed for the local recogniser, 8-bit, silence, too long, too big', async () => {
    const notAudio = await transcribe(alpha, Buffer.from('%PDF-1.7 not a recording at all'), 'speech.wav').expect(415);
    expect(notAudio.body.error).toMatchObject({ code: 'UNSUPPORTED_AUDIO_FORMAT', message: expect.stringContaining('wav, mp3') });
    const mp3 = await transcribe(alpha, mp3Bytes(), 'speech.mp3').expect(415);
    expect(mp3.body.error.message).toBe('mp3 is not accepted by the local provider; send wav.');
    expect((await transcribe(alpha, eightBitWav()).expect(422)).body.error.code).toBe('INVALID_AUDIO');
    expect((await transcribe(alpha, silenceWav(2)).expect(422)).body.error.code).toBe('NO_SPEECH_DETECTED');
    expect((await transcribe(alpha, toneWav(9, 8_000)).expect(413)).body.error.code).toBe('AUDIO_TOO_LONG');
    expect((await transcribe(alpha, toneWav(8, 48_000)).expect(413)).body.error.code).toBe('PAYLOAD_TOO_LARGE');
    expect((await http().post('/api/v1/voice/transcriptions').set(bearer(alpha.accessToken)).field('language', 'en').expect(422)).body.error.details[0].field).toBe('file');
    expect((await transcribe(alpha, toneWav(1)).field('language', 'english').expect(422)).body.error.code).toBe('VALIDATION_FAILED');
  });

  it('counts transcribed seconds and synthesized characters per dealership and day', async () => {
    const rows = await ctx.db.query('SELECT dealership_id, provider, transcriptions, transcribed_ms, syntheses, synthesized_chars FROM voice_usage_daily ORDER BY dealership_id');
    const alphaRow = rows.rows.find((r) => r.dealership_id === alpha.dealership.id);
    expect(alphaRow).toMatchObject({ provider: 'local' });
    expect(alphaRow.transcriptions).toBeGreaterThanOrEqual(2);
    expect(Number(alphaRow.transcribed_ms)).toBeGreaterThan(2_000);
    // Three syntheses made it to the provider (the cache hit counts nothing): 40 + 40 + 23 characters.
    expect(alphaRow.syntheses).toBe(3);
    expect(Number(alphaRow.synthesized_chars)).toBe('What does the powertrain warranty cover?'.length + 'How much is the Aldera Ridgeway Touring?'.length + 'The loaner car is free.'.length);
    // Admins read it in GET /usage beside the LLM's (sections.voice), per day and provider with the estimated cost (local engines are free); only their own dealership's.
    const report = await http().get('/api/v1/usage').set(bearer(alpha.accessToken)).expect(200);
    expect(report.body.sections.voice.items).toEqual([
      expect.objectContaining({ provider: 'local', transcriptions: alphaRow.transcriptions, syntheses: 3, synthesizedCharacters: Number(alphaRow.synthesized_chars), estimatedCostUsd: 0 }),
    ]);
    expect(report.body.sections.voice.totals).toMatchObject({ syntheses: 3, estimatedCostUsd: 0, unpricedProviders: [] });
    const betaReport = await http().get('/api/v1/usage').set(bearer(beta.accessToken)).expect(200);
    expect(betaReport.body.sections.voice.items).toEqual([expect.objectContaining({ syntheses: 1, transcriptions: 1 })]);
    const staff = await addUser(api, alpha, 'staff');
    await http().get('/api/v1/usage').set(bearer(staff.accessToken)).expect(403);
  });

  it('answers 503 VOICE_NOT_CONFIGURED when the providers are off, and 401 without a credential', async () => {
    const stt = await transcribe(alpha, toneWav(1), 'speech.wav', off).expect(503);
    expect(stt.body.error).toMatchObject({ code: 'VOICE_NOT_CONFIGURED', message: expect.stringContaining('VOICE_STT_PROVIDER=off') });
    const tts = await request(off.getHttpServer()).post('/api/v1/voice/speech').set(bearer(alpha.accessToken)).send({ text: 'Hello' }).expect(503);
    expect(tts.body.error.code).toBe('VOICE_NOT_CONFIGURED');
    await http().post('/api/v1/voice/speech').send({ text: 'Hello' }).expect(401);
  });
});
