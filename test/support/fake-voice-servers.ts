import { createServer, IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { WebSocketServer } from 'ws';

/**
 * Local servers speaking OpenAI's audio API and ElevenLabs' text-to-speech API (REST stream and
 * the stream-input WebSocket) as documented in ../shared/PROVIDERS.md, so the real `openai` and
 * `@elevenlabs/elevenlabs-js` SDKs (and `ws`) run against them in tests and benchmarks.
 */

export interface RecordedAudioRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** JSON bodies parsed; multipart forms as their text fields. */
  fields: Record<string, unknown>;
  file?: { name: string; type: string; bytes: number };
}

export interface AudioReplyScript {
  /** Pause before the response headers (and so before the first byte). */
  firstByteDelayMs?: number;
  /** Never answer. */
  hang?: boolean;
  failWith?: { status: number; body?: object };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Bytes that stand for audio: a recognisable pattern, so tests compare what came back. */
export function fakeAudio(bytes: number, seed = 7): Buffer {
  const audio = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i += 1) audio[i] = (i * seed) % 251;
  return audio;
}

abstract class FakeAudioServer {
  readonly requests: RecordedAudioRequest[] = [];
  protected readonly scripts: AudioReplyScript[] = [];
  protected readonly shutdown = new AbortController();

  protected constructor(protected readonly server: Server) {}

  get origin(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The next requests fail with `status`, one each. */
  failNext(times: number, status = 500): this {
    for (let i = 0; i < times; i += 1) this.scripts.push({ failWith: { status } });
    return this;
  }

  queue(...scripts: AudioReplyScript[]): this {
    this.scripts.push(...scripts);
    return this;
  }

  reset(): this {
    this.requests.length = 0;
    this.scripts.length = 0;
    return this;
  }

  async close(): Promise<void> {
    this.shutdown.abort();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  /** Applies the next script; true when it answered (failure or hang) and the caller must stop. */
  protected async scripted(res: ServerResponse, errorBody: (status: number) => object): Promise<boolean> {
    const script = this.scripts.shift() ?? {};
    if (script.hang) {
      await new Promise((resolve) => res.on('close', resolve));
      return true;
    }
    if (script.firstByteDelayMs) await sleep(script.firstByteDelayMs, undefined, { signal: this.shutdown.signal }).catch(() => undefined);
    if (script.failWith) {
      res.writeHead(script.failWith.status, { 'content-type': 'application/json', 'retry-after-ms': '10' });
      res.end(JSON.stringify(script.failWith.body ?? errorBody(script.failWith.status)));
      return true;
    }
    return false;
  }

  protected async streamAudio(res: ServerResponse, contentType: string, audio: Buffer, chunkBytes = 4_800, delayMs = 2): Promise<void> {
    res.writeHead(200, { 'content-type': contentType, 'transfer-encoding': 'chunked' });
    for (let offset = 0; offset < audio.length && !res.destroyed; offset += chunkBytes) {
      res.write(audio.subarray(offset, offset + chunkBytes));
      await sleep(delayMs);
    }
    res.end();
  }
}

/** OpenAI's `/v1/audio/transcriptions` (multipart) and `/v1/audio/speech` (JSON in, audio bytes out). */
export class FakeOpenAiAudioServer extends FakeAudioServer {
  /** What transcriptions say; `segments` (verbose_json) may hold a no-speech segment to drop. */
  transcript = { text: 'What does the powertrain warranty cover?', durationSeconds: 2.5, segments: [] as { text: string; no_speech_prob: number }[] };
  speechBytes = 24_000;
  /** Pause between 4800-byte audio chunks (100 ms of 24 kHz PCM16 each): raise it to make speech last. */
  chunkDelayMs = 2;

  static async start(): Promise<FakeOpenAiAudioServer> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const fake = new FakeOpenAiAudioServer(server);
    server.on('request', (req, res) => void fake.handle(req, res).catch(() => res.destroy()));
    return fake;
  }

  get baseUrl(): string {
    return `${this.origin}/v1`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.origin);
    const body = await readBody(req);
    const recorded: RecordedAudioRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, fields: {} };
    this.requests.push(recorded);
    const error = (status: number) => ({ error: { message: `fake failure ${status}`, type: status === 400 ? 'invalid_request_error' : 'server_error', param: null, code: null } });
    if (req.headers.authorization !== 'Bearer sk-voice-test') {
      res.writeHead(401, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ error: { message: 'Incorrect API key provided', type: 'invalid_request_error', param: null, code: 'invalid_api_key' } }));
    }
    if (url.pathname === '/v1/audio/transcriptions') {
      // The SDK sends multipart/form-data; the fetch API's parser reads it as a browser would.
      const form = await new Request(url, { method: 'POST', headers: { 'content-type': String(req.headers['content-type']) }, body }).formData();
      for (const [name, value] of form.entries()) {
        if (typeof value === 'string') recorded.fields[name] = value;
        else recorded.file = { name: value.name, type: value.type, bytes: value.size };
      }
      if (await this.scripted(res, error)) return;
      const { text, durationSeconds, segments } = this.transcript;
      const reply =
        recorded.fields.response_format === 'verbose_json'
          ? { task: 'transcribe', language: 'english', duration: durationSeconds, text, segments: [{ id: 0, start: 0, end: durationSeconds, text, no_speech_prob: 0.01 }, ...segments] }
          : { text, usage: { type: 'duration', seconds: Math.ceil(durationSeconds) } };
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify(reply));
    }
    if (url.pathname === '/v1/audio/speech') {
      recorded.fields = JSON.parse(body.toString()) as Record<string, unknown>;
      if (await this.scripted(res, error)) return;
      const format = String(recorded.fields.response_format ?? 'mp3');
      const types: Record<string, string> = { mp3: 'audio/mpeg', wav: 'audio/wav', pcm: 'audio/pcm', opus: 'audio/opus', aac: 'audio/aac', flac: 'audio/flac' };
      return this.streamAudio(res, types[format] ?? 'application/octet-stream', fakeAudio(this.speechBytes), 4_800, this.chunkDelayMs);
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(error(404)));
  }
}

export const ELEVENLABS_TEST_KEY = 'xi-test-key';
export const ELEVENLABS_TEST_VOICE = 'JBFqnCBsd6RMkjVDRZzb';

/**
 * ElevenLabs' `POST /v1/text-to-speech/{voice_id}/stream` (chunked audio) and the
 * `/v1/text-to-speech/{voice_id}/stream-input` WebSocket: `{text:" "}` opens, text messages
 * (flushed or not) are spoken, `{text:""}` ends; audio comes as `{audio: base64, isFinal: false,
 * normalizedAlignment}` messages, then `{isFinal: true}`.
 */
export class FakeElevenLabsServer extends FakeAudioServer {
  /** Audio bytes per character of text, so longer text gives longer audio. */
  bytesPerChar = 480;
  /** Every message each WebSocket received, per connection. */
  readonly socketMessages: Record<string, unknown>[][] = [];
  private readonly sockets: WebSocketServer;

  private constructor(server: Server) {
    super(server);
    this.sockets = new WebSocketServer({ noServer: true });
  }

  static async start(): Promise<FakeElevenLabsServer> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const fake = new FakeElevenLabsServer(server);
    server.on('request', (req, res) => void fake.handle(req, res).catch(() => res.destroy()));
    server.on('upgrade', (req, socket, head) => fake.upgrade(req, socket as import('node:net').Socket, head));
    return fake;
  }

  override async close(): Promise<void> {
    for (const client of this.sockets.clients) client.terminate();
    this.sockets.close();
    await super.close();
  }

  private voiceOf(path: string, suffix: string): string | undefined {
    return new RegExp(`^/v1/text-to-speech/([^/]+)/${suffix}$`).exec(path)?.[1];
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.origin);
    const body = await readBody(req);
    const recorded: RecordedAudioRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, fields: {} };
    this.requests.push(recorded);
    const error = (status: number) => ({ detail: { status: status === 401 ? 'invalid_api_key' : 'fake_failure', message: `fake failure ${status}` } });
    if (req.headers['xi-api-key'] !== ELEVENLABS_TEST_KEY) {
      res.writeHead(401, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify(error(401)));
    }
    const voice = this.voiceOf(url.pathname, 'stream');
    if (req.method !== 'POST' || !voice) {
      res.writeHead(404, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify(error(404)));
    }
    recorded.fields = JSON.parse(body.toString()) as Record<string, unknown>;
    if (await this.scripted(res, error)) return;
    if (voice !== ELEVENLABS_TEST_VOICE) {
      res.writeHead(404, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ detail: { status: 'voice_not_found', message: `A voice with the voice_id ${voice} was not found.` } }));
    }
    const format = url.searchParams.get('output_format') ?? 'mp3_44100_128';
    await this.streamAudio(res, format.startsWith('pcm') ? 'audio/pcm' : 'audio/mpeg', fakeAudio(String(recorded.fields.text).length * this.bytesPerChar));
  }

  private upgrade(req: IncomingMessage, socket: import('node:net').Socket, head: Buffer): void {
    const url = new URL(req.url ?? '/', this.origin);
    const voice = this.voiceOf(url.pathname, 'stream-input');
    this.requests.push({ method: 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, fields: {} });
    if (!voice || req.headers['xi-api-key'] !== ELEVENLABS_TEST_KEY) {
      socket.end(`HTTP/1.1 ${voice ? 401 : 404} Unauthorized\r\ncontent-length: 0\r\n\r\n`);
      return;
    }
    this.sockets.handleUpgrade(req, socket, head, (ws) => {
      const messages: Record<string, unknown>[] = [];
      this.socketMessages.push(messages);
      let pending = '';
      const speak = (text: string) => {
        const audio = fakeAudio(text.length * this.bytesPerChar);
        for (let offset = 0; offset < audio.length; offset += 9_600) {
          ws.send(JSON.stringify({ audio: audio.subarray(offset, offset + 9_600).toString('base64'), isFinal: false, normalizedAlignment: { chars: [...text], charStartTimesMs: [], charsDurationsMs: [] } }));
        }
      };
      ws.on('message', (data) => {
        const message = JSON.parse(String(data)) as { text?: string; flush?: boolean };
        messages.push(message);
        if (voice !== ELEVENLABS_TEST_VOICE) return ws.close(1008, 'voice_not_found');
        if (messages.length === 1) return; // the opening " "
        if (message.text === '') {
          if (pending.trim()) speak(pending);
          ws.send(JSON.stringify({ isFinal: true }));
          return;
        }
        pending += message.text ?? '';
        if (message.flush) {
          speak(pending);
          pending = '';
        }
      });
    });
  }
}
