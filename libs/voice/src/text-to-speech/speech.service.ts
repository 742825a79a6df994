import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { Tenant } from '@showroom/auth';
import { APP_CONFIG, AppConfig, AppException } from '@showroom/core';
import { PCM_SAMPLE_RATE, SPEECH_CONTENT_TYPES, type SpeechFormat } from '../audio/audio-format';
import { VoiceMetrics, outcomeOf } from '../voice-metrics';
import { voiceErrors } from '../voice-errors';
import { VoiceUsage } from '../usage/voice-usage';
import { SpeechCache } from './speech-cache';
import { TEXT_TO_SPEECH, type TextToSpeech } from './text-to-speech.port';

export interface SpeechOrder {
  text: string;
  voice?: string;
  format?: SpeechFormat;
}

export interface SpeechStream {
  contentType: string;
  format: SpeechFormat;
  voice: string;
  cached: boolean;
  /** The audio, its first chunk already produced (so failures before it were thrown by `speak`). */
  audio: AsyncGenerator<Buffer>;
}

const validation = (field: string, message: string) => new AppException(HttpStatus.UNPROCESSABLE_ENTITY, 'VALIDATION_FAILED', message, [{ field, message }]);

/**
 * Text to audio for one dealership, streamed as the provider produces it. The same text, voice
 * and format come from the speech cache (bounded; hit rate in voice_speech_cache_lookups_total).
 * Characters synthesized are counted for usage (cache hits cost nothing and count nothing).
 */
@Injectable()
export class SpeechService {
  private readonly cache: SpeechCache;

  constructor(
    @Inject(TEXT_TO_SPEECH) private readonly tts: TextToSpeech,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: VoiceMetrics,
    private readonly usage: VoiceUsage,
  ) {
    this.cache = new SpeechCache(config.voice.speechCacheMaxBytes);
  }

  get provider(): string {
    return this.tts.provider;
  }

  get formats(): readonly SpeechFormat[] {
    return this.tts.formats;
  }

  /** Checks the order, then opens the audio: resolves once its first chunk exists. */
  async speak(tenant: Tenant, order: SpeechOrder, signal?: AbortSignal): Promise<SpeechStream> {
    const text = order.text.trim();
    if (!text) throw validation('text', 'text must not be empty');
    const max = this.config.voice.speechMaxChars;
    if (text.length > max) throw validation('text', `text must be at most ${max} characters (got ${text.length})`);
    const format = order.format ?? 'wav';
    if (this.tts.provider !== 'none' && !this.tts.formats.includes(format)) throw voiceErrors.unsupportedFormat(format, this.tts.formats, this.tts.provider);
    const voice = order.voice ?? this.tts.defaultVoice;
    if (order.voice && this.tts.voices && !this.tts.voices.includes(order.voice)) throw validation('voice', `voice must be one of ${this.tts.voices.join(', ')}`);

    const key = SpeechCache.keyOf({ dealershipId: tenant.dealershipId, provider: this.tts.provider, model: this.tts.model, voice, format, text });
    const hit = this.cache.get(key);
    this.metrics.cacheLookups.inc({ result: hit ? 'hit' : 'miss' });
    const contentType = SPEECH_CONTENT_TYPES[format];
    if (hit) return { contentType, format, voice, cached: true, audio: (async function* () { yield hit; })() };

    const audio = this.produce(tenant, key, { text, voice, format, signal });
    const first = await audio.next(); // failures before the first byte surface here, as real errors
    return { contentType, format, voice, cached: false, audio: prepend(first, audio) };
  }

  private async *produce(tenant: Tenant, key: string, request: { text: string; voice: string; format: SpeechFormat; signal?: AbortSignal }): AsyncGenerator<Buffer> {
    const provider = this.tts.provider;
    const started = performance.now();
    const end = this.metrics.ttsDuration.startTimer({ provider });
    const kept: Buffer[] = [];
    let bytes = 0;
    let outcome = 'aborted';
    try {
      for await (const chunk of this.tts.synthesize(request)) {
        if (bytes === 0) this.metrics.ttsFirstByte.observe({ provider }, (performance.now() - started) / 1000);
        bytes += chunk.length;
        if (this.cache.fits(bytes)) kept.push(chunk);
        yield chunk;
      }
      outcome = 'ok';
      if (this.cache.fits(bytes)) this.cache.set(key, Buffer.concat(kept));
      if (request.format !== 'mp3') this.metrics.audioSeconds.inc({ provider, direction: 'out' }, bytes / 2 / PCM_SAMPLE_RATE);
      await this.usage.synthesized(tenant, provider, request.text.length);
    } catch (error) {
      outcome = outcomeOf(error);
      throw error;
    } finally {
      end({ outcome });
    }
  }
}

async function* prepend(first: IteratorResult<Buffer>, rest: AsyncGenerator<Buffer>): AsyncGenerator<Buffer> {
  if (first.done) return;
  yield first.value;
  yield* rest;
}
