import { z } from 'zod';
import { defineConfigSection, envBool, envInt as int, envJson, envUrl as url } from '@showroom/core';

export type SttProviderName = 'local' | 'openai' | 'off';
export type TtsProviderName = 'local' | 'openai' | 'elevenlabs' | 'off';

export interface VoiceSettings {
  sttProvider: SttProviderName;
  ttsProvider: TtsProviderName;
  openai: { apiKey: string | undefined; baseUrl: string; sttModel: string; ttsModel: string; voice: string };
  elevenlabs: { apiKey: string | undefined; baseUrl: string; voiceId: string; model: string; transport: 'rest' | 'websocket' };
  local: { ttsEngine: 'flite' | 'espeak-ng'; voice: string; vocabulary: boolean; maxConcurrent: number };
  /** A provider call that has not sent its first byte by then fails (and may be retried). */
  firstByteTimeoutMs: number;
  /** Whole-call limit. */
  timeoutMs: number;
  maxRetries: number;
  uploadMaxBytes: number;
  maxAudioSeconds: number;
  speechMaxChars: number;
  speechCacheMaxBytes: number;
  /** Silence this long after speech ends a spoken turn. */
  silenceMs: number;
  /** USD per provider: per minute transcribed, per million characters synthesized. */
  prices: Record<string, { sttPerMinute?: number; ttsPerMillionChars?: number }>;
}

declare module '@showroom/core' {
  interface AppConfig {
    voice: VoiceSettings;
  }
}

const priceTable = envJson(
  z.record(z.string(), z.object({ sttPerMinute: z.number().min(0).optional(), ttsPerMillionChars: z.number().min(0).optional() }).strict(), {
    message: 'expected {"provider":{"sttPerMinute":n,"ttsPerMillionChars":n}}',
  }),
);

const DEFAULT_VOICE_PRICES = '{"openai":{"sttPerMinute":0.006,"ttsPerMillionChars":15},"elevenlabs":{"ttsPerMillionChars":100},"local":{"sttPerMinute":0,"ttsPerMillionChars":0}}';

export const voiceConfig = defineConfigSection({
  owner: 'voice',
  env: {
    VOICE_STT_PROVIDER: z.enum(['local', 'openai', 'off']).default('local'),
    VOICE_TTS_PROVIDER: z.enum(['local', 'openai', 'elevenlabs', 'off']).default('local'),
    VOICE_OPENAI_API_KEY: z.string().min(1).optional(),
    VOICE_OPENAI_BASE_URL: url(['https:', 'http:']).default('https://api.openai.com/v1'),
    VOICE_STT_MODEL: z.string().min(1).default('whisper-1'),
    VOICE_TTS_MODEL: z.string().min(1).default('gpt-4o-mini-tts'),
    VOICE_OPENAI_VOICE: z.string().min(1).default('alloy'),
    ELEVENLABS_API_KEY: z.string().min(1).optional(),
    ELEVENLABS_BASE_URL: url(['https:', 'http:']).default('https://api.elevenlabs.io'),
    ELEVENLABS_VOICE_ID: z.string().min(1).default('JBFqnCBsd6RMkjVDRZzb'),
    ELEVENLABS_MODEL: z.string().min(1).default('eleven_flash_v2_5'),
    ELEVENLABS_TRANSPORT: z.enum(['rest', 'websocket']).default('rest'),
    VOICE_LOCAL_TTS_ENGINE: z.enum(['flite', 'espeak-ng']).default('flite'),
    VOICE_LOCAL_VOICE: z.string().regex(/^[A-Za-z0-9_+-]{1,40}$/, { message: 'expected a voice name' }).default('slt'),
    VOICE_LOCAL_VOCABULARY: envBool.default(true),
    VOICE_LOCAL_MAX_CONCURRENT: int(1, 64).default(2),
    VOICE_FIRST_BYTE_TIMEOUT_MS: int(100, 600_000).default(10_000),
    VOICE_TIMEOUT_MS: int(100, 3_600_000).default(60_000),
    VOICE_MAX_RETRIES: int(0, 10).default(2),
    VOICE_UPLOAD_MAX_BYTES: int(1024, 100 * 1024 * 1024).default(25 * 1024 * 1024),
    VOICE_MAX_AUDIO_SECONDS: int(1, 3_600).default(120),
    VOICE_SPEECH_MAX_CHARS: int(1, 100_000).default(4_096),
    VOICE_SPEECH_CACHE_MAX_MB: int(0, 4_096).default(64),
    VOICE_SILENCE_MS: int(100, 10_000).default(800),
    VOICE_PRICES: priceTable.prefault(DEFAULT_VOICE_PRICES),
  },
  check(env, problem) {
    const openAiKey = env.VOICE_OPENAI_API_KEY ?? env.OPENAI_API_KEY;
    if (env.VOICE_STT_PROVIDER === 'openai' && !openAiKey) problem('VOICE_OPENAI_API_KEY', 'required (or OPENAI_API_KEY) when VOICE_STT_PROVIDER=openai');
    if (env.VOICE_TTS_PROVIDER === 'openai' && !openAiKey) problem('VOICE_OPENAI_API_KEY', 'required (or OPENAI_API_KEY) when VOICE_TTS_PROVIDER=openai');
    if (env.VOICE_TTS_PROVIDER === 'elevenlabs' && !env.ELEVENLABS_API_KEY) problem('ELEVENLABS_API_KEY', 'required when VOICE_TTS_PROVIDER=elevenlabs');
  },
  read: (e) => ({
    voice: {
      sttProvider: e.VOICE_STT_PROVIDER,
      ttsProvider: e.VOICE_TTS_PROVIDER,
      openai: {
        apiKey: e.VOICE_OPENAI_API_KEY ?? e.OPENAI_API_KEY,
        baseUrl: e.VOICE_OPENAI_BASE_URL,
        sttModel: e.VOICE_STT_MODEL,
        ttsModel: e.VOICE_TTS_MODEL,
        voice: e.VOICE_OPENAI_VOICE,
      },
      elevenlabs: {
        apiKey: e.ELEVENLABS_API_KEY,
        baseUrl: e.ELEVENLABS_BASE_URL,
        voiceId: e.ELEVENLABS_VOICE_ID,
        model: e.ELEVENLABS_MODEL,
        transport: e.ELEVENLABS_TRANSPORT,
      },
      local: { ttsEngine: e.VOICE_LOCAL_TTS_ENGINE, voice: e.VOICE_LOCAL_VOICE, vocabulary: e.VOICE_LOCAL_VOCABULARY, maxConcurrent: e.VOICE_LOCAL_MAX_CONCURRENT },
      firstByteTimeoutMs: e.VOICE_FIRST_BYTE_TIMEOUT_MS,
      timeoutMs: e.VOICE_TIMEOUT_MS,
      maxRetries: e.VOICE_MAX_RETRIES,
      uploadMaxBytes: e.VOICE_UPLOAD_MAX_BYTES,
      maxAudioSeconds: e.VOICE_MAX_AUDIO_SECONDS,
      speechMaxChars: e.VOICE_SPEECH_MAX_CHARS,
      speechCacheMaxBytes: e.VOICE_SPEECH_CACHE_MAX_MB * 1024 * 1024,
      silenceMs: e.VOICE_SILENCE_MS,
      prices: e.VOICE_PRICES,
    },
  }),
});
