import type OpenAI from 'openai';
import { toFile } from 'openai';
import { z } from 'zod';
import { AUDIO_FORMATS, AUDIO_MIME_TYPES } from '../audio/audio-format';
import { openAiAudioClient, openAiBlame, openAiFailure } from '../openai-errors';
import { type CallLimits, GuardedProvider } from '../provider-call';
import { voiceErrors } from '../voice-errors';
import type { SpeechToText, Transcription, TranscriptionRequest } from './speech-to-text.port';

export interface OpenAiSpeechToTextOptions extends CallLimits {
  apiKey: string;
  /** OpenAI, or any server speaking its /audio/transcriptions (self-hosted Whisper servers). */
  baseUrl: string;
  model: string;
  maxRetries: number;
}

/** Segments Whisper itself thinks are not speech (its invented "thank you" on silence) are dropped. */
const NO_SPEECH = 0.6;

const responseSchema = z.object({
  text: z.string(),
  language: z.string().nullish(),
  duration: z.number().nullish(),
  segments: z.array(z.object({ text: z.string(), no_speech_prob: z.number().nullish() })).nullish(),
  usage: z.object({ type: z.string(), seconds: z.number().nullish() }).nullish(),
});

// Whisper's verbose_json names the language in English words.
const ISO_639_1: Record<string, string> = { english: 'en', spanish: 'es', french: 'fr', german: 'de', italian: 'it', portuguese: 'pt', dutch: 'nl', polish: 'pl', czech: 'cs' };

/**
 * OpenAI transcriptions through the official SDK. `whisper-1` is asked for verbose_json (its
 * duration, language and per-segment no-speech probability); the gpt-4o*-transcribe models
 * only answer json.
 */
export class OpenAiSpeechToText implements SpeechToText {
  readonly provider = 'openai';
  readonly model: string;
  readonly formats = AUDIO_FORMATS;
  private readonly client: OpenAI;
  private readonly guard: GuardedProvider;

  constructor(private readonly options: OpenAiSpeechToTextOptions) {
    this.model = options.model;
    this.client = openAiAudioClient({ ...options, timeoutMs: options.timeoutMs });
    this.guard = new GuardedProvider(`speech-to-text ${new URL(options.baseUrl).host}`, openAiBlame, openAiFailure('OpenAI speech-to-text'), options.breaker);
  }

  async transcribe(request: TranscriptionRequest): Promise<Transcription> {
    const verbose = this.model === 'whisper-1';
    const raw = await this.guard.call(request.signal, { ...this.options, firstByteTimeoutMs: this.options.timeoutMs }, async (signal) => {
      const file = await toFile(request.audio.bytes, `audio.${request.audio.format}`, { type: AUDIO_MIME_TYPES[request.audio.format] });
      return this.client.audio.transcriptions.create(
        { file, model: this.model, response_format: verbose ? 'verbose_json' : 'json', ...(request.language ? { language: request.language } : {}) },
        { signal },
      );
    });
    const parsed = responseSchema.safeParse(raw);
    if (!parsed.success) throw voiceErrors.badResponse('OpenAI speech-to-text', 'the transcription was not the expected JSON');
    const body = parsed.data;
    const text = body.segments ? body.segments.filter((s) => (s.no_speech_prob ?? 0) < NO_SPEECH).map((s) => s.text).join('').trim() : body.text.trim();
    const seconds = body.duration ?? body.usage?.seconds ?? undefined;
    const language = request.language ?? (body.language ? (ISO_639_1[body.language.toLowerCase()] ?? body.language) : null);
    return { text, language, durationMs: request.audio.durationMs ?? Math.round((seconds ?? 0) * 1000) };
  }
}
