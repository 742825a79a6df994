import type * as ElevenLabsSdk from '@elevenlabs/elevenlabs-js';
import WebSocket from 'ws';
import { PCM_SAMPLE_RATE, type SpeechFormat } from '../audio/audio-format';
import { wavHeader } from '../audio/wav';
import { type Blame, type CallLimits, GuardedProvider } from '../provider-call';
import { voiceErrors } from '../voice-errors';
import type { SpeechRequest, TextToSpeech } from './text-to-speech.port';

export interface ElevenLabsTextToSpeechOptions extends CallLimits {
  apiKey: string;
  baseUrl: string;
  voiceId: string;
  model: string;
  transport: 'rest' | 'websocket';
  maxRetries: number;
}

const PROVIDER = 'ElevenLabs';

/**
 * The SDK takes seconds to load (measured 3-5 s for its generated client and serialisers, most
 * of a pod's start), so it is loaded when an ElevenLabs adapter is built: pods that speak
 * through another provider, every worker included, never pay for it.
 */
let sdk: typeof ElevenLabsSdk | undefined;
function loadSdk(): typeof ElevenLabsSdk {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deferred on purpose (above)
  sdk ??= require('@elevenlabs/elevenlabs-js') as typeof ElevenLabsSdk;
  return sdk;
}

/** The SDK's HTTP status of a failure; before the SDK is loaded no failure can be its own. */
const sdkStatus = (error: unknown) => (sdk && error instanceof sdk.ElevenLabsError ? error.statusCode : undefined);

/** Our formats as ElevenLabs' output_format; WAV is its PCM with our header in front. */
const OUTPUT_FORMAT: Record<SpeechFormat, 'mp3_44100_128' | 'pcm_24000'> = { mp3: 'mp3_44100_128', pcm: 'pcm_24000', wav: 'pcm_24000' };

function blame(error: unknown): Blame {
  const status = error instanceof StreamInputError ? error.status : sdkStatus(error);
  return status !== undefined && [400, 404, 422].includes(status) ? 'caller' : 'provider';
}

function failure(error: unknown): Error {
  if (sdk && error instanceof sdk.ElevenLabsTimeoutError) return voiceErrors.timeout(PROVIDER, 'the request timed out');
  const status = error instanceof StreamInputError ? error.status : sdkStatus(error);
  if (status === undefined) return voiceErrors.unavailable(PROVIDER, 'cannot connect');
  if (status === 429) return voiceErrors.unavailable(PROVIDER, 'rate limited');
  if (status === 401 || status === 403) return voiceErrors.unavailable(PROVIDER, 'credentials refused');
  if (blame(error) === 'caller') return voiceErrors.rejected(PROVIDER, error instanceof Error ? error.message.slice(0, 300) : `HTTP ${status}`);
  return voiceErrors.badResponse(PROVIDER, `upstream answered ${status}`);
}

/** A failure the stream-input WebSocket reported (an error message, a refused upgrade, a close before the end). */
class StreamInputError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/**
 * ElevenLabs text-to-speech: the REST stream (`POST /v1/text-to-speech/{voice}/stream`) through
 * the official SDK, or the stream-input WebSocket (`/v1/text-to-speech/{voice}/stream-input`)
 * through `ws`, which sends the text and flushes it at once (a spoken turn speaks sentence by
 * sentence, so waiting for 120 characters would only add delay). Voice ids are passed on.
 */
export class ElevenLabsTextToSpeech implements TextToSpeech {
  readonly provider = 'elevenlabs';
  readonly model: string;
  readonly formats = ['wav', 'mp3', 'pcm'] as const;
  readonly defaultVoice: string;
  private readonly client: ElevenLabsSdk.ElevenLabsClient;
  private readonly guard: GuardedProvider;

  constructor(private readonly options: ElevenLabsTextToSpeechOptions) {
    this.model = options.model;
    this.defaultVoice = options.voiceId;
    this.client = new (loadSdk().ElevenLabsClient)({ apiKey: options.apiKey, baseUrl: options.baseUrl, maxRetries: options.maxRetries, timeoutInSeconds: options.timeoutMs / 1000 });
    this.guard = new GuardedProvider(`text-to-speech ${new URL(options.baseUrl).host}`, blame, failure, options.breaker);
  }

  async *synthesize(request: SpeechRequest): AsyncGenerator<Buffer> {
    const open = this.options.transport === 'websocket' ? (signal: AbortSignal) => this.streamInput(request, signal) : (signal: AbortSignal) => this.rest(request, signal);
    let first = true;
    for await (const chunk of this.guard.stream(request.signal, this.options, open)) {
      if (first && request.format === 'wav') yield wavHeader(PCM_SAMPLE_RATE);
      first = false;
      yield chunk;
    }
  }

  private async rest(request: SpeechRequest, signal: AbortSignal): Promise<AsyncIterable<Uint8Array>> {
    const stream = await this.client.textToSpeech.stream(
      request.voice,
      { text: request.text, modelId: this.model, outputFormat: OUTPUT_FORMAT[request.format] },
      { abortSignal: signal },
    );
    return stream as unknown as AsyncIterable<Uint8Array>;
  }

  /** Resolves once the socket is open; audio then arrives as `{audio: base64}` messages until `{isFinal: true}`. */
  private streamInput(request: SpeechRequest, signal: AbortSignal): Promise<AsyncIterable<Uint8Array>> {
    const url = new URL(`v1/text-to-speech/${encodeURIComponent(request.voice)}/stream-input`, this.options.baseUrl.replace(/^http/, 'ws').replace(/\/?$/, '/'));
    url.searchParams.set('model_id', this.model);
    url.searchParams.set('output_format', OUTPUT_FORMAT[request.format]);
    const socket = new WebSocket(url, { headers: { 'xi-api-key': this.options.apiKey } });
    const queue = new AsyncQueue<Uint8Array>();
    const close = () => socket.terminate();
    signal.addEventListener('abort', close, { once: true });
    socket.on('message', (data) => {
      let message: { audio?: string | null; isFinal?: boolean | null; error?: string; message?: string };
      try {
        message = JSON.parse(String(data)) as typeof message;
      } catch {
        return queue.fail(new StreamInputError('a message that is not JSON'));
      }
      if (message.error || (message.message && !message.audio)) return queue.fail(new StreamInputError(message.message ?? message.error ?? 'error', message.error === 'invalid_request' ? 400 : 500));
      if (message.audio) queue.push(Buffer.from(message.audio, 'base64'));
      if (message.isFinal) {
        queue.end();
        socket.close(1000);
      }
    });
    socket.on('close', (code) => {
      signal.removeEventListener('abort', close);
      // Closed by us after isFinal, or by ElevenLabs with a policy code (1008: bad key or voice).
      queue.fail(new StreamInputError(`the socket closed (${code}) before the audio was complete`, code === 1008 ? 401 : undefined));
    });
    return new Promise((resolve, reject) => {
      socket.once('unexpected-response', (_req, res) => reject(new StreamInputError(`upgrade refused with ${res.statusCode}`, res.statusCode)));
      socket.once('error', (error) => reject(new StreamInputError(error.message)));
      socket.once('open', () => {
        // The first message opens the stream (one space), then the text, flushed, then "" ends it.
        socket.send(JSON.stringify({ text: ' ', generation_config: { chunk_length_schedule: [50, 120, 160, 250] } }));
        socket.send(JSON.stringify({ text: `${request.text.trim()} `, flush: true }));
        socket.send(JSON.stringify({ text: '' }));
        resolve(queue);
      });
    });
  }
}

/** A pushed sequence read with for-await; the first of end() or fail() settles it. */
class AsyncQueue<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private done = false;
  private error: unknown;
  private wake: (() => void) | undefined;

  push(item: T): void {
    if (this.done) return;
    this.items.push(item);
    this.wake?.();
  }

  end(): void {
    this.done = true;
    this.wake?.();
  }

  fail(error: unknown): void {
    if (this.done) return;
    this.error = error;
    this.done = true;
    this.wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T> {
    for (;;) {
      if (this.items.length > 0) {
        yield this.items.shift()!;
        continue;
      }
      if (this.done) {
        if (this.error) throw this.error;
        return;
      }
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }
}
