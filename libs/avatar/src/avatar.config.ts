import { z } from 'zod';
import { defineConfigSection, envBool as bool, envInt as int, envUrl as url } from '@showroom/core';

/** `none`: every avatar endpoint answers 503 AVATAR_NOT_CONFIGURED. */
export type AvatarProviderName = 'none' | 'liveavatar' | 'heygen';

export interface AvatarSettings {
  provider: AvatarProviderName;
  liveAvatar: {
    apiKey: string | undefined;
    baseUrl: string;
    /** LITE: the api pushes our own speech (PCM16 24 kHz) over the session WebSocket; FULL: `avatar.speak_text`. */
    mode: 'lite' | 'full';
    avatarId: string | undefined;
    voiceId: string | undefined;
    language: string;
    sandbox: boolean;
  };
  heyGen: {
    apiKey: string | undefined;
    baseUrl: string;
    avatarName: string | undefined;
    voiceId: string | undefined;
    quality: 'low' | 'medium' | 'high';
    language: string;
  };
  /** A session nobody spoke through for this long is ended (reason `idle`). */
  idleTimeoutSeconds: number;
  /** A session is ended this long after it started, whatever happens (reason `max_duration`). */
  maxSessionSeconds: number;
  /** The client must show itself (any call on the session, or `avatar.keepalive`) this often, or the sweep ends the session (reason `client_gone`). */
  clientTimeoutSeconds: number;
  /** The provider is told the session is still wanted this often (LiveAvatar drops after 5 idle minutes). */
  keepAliveSeconds: number;
  sweepIntervalMs: number;
  /** Sessions one dealership may have open at once (429 AVATAR_QUOTA_EXCEEDED above). */
  maxConcurrentSessions: number;
  /** Avatar minutes one dealership may use per UTC calendar month (429 AVATAR_QUOTA_EXCEEDED, and open sessions end). */
  monthlyMinutes: number;
  /** USD per avatar minute, for the estimated cost in usage reports only. */
  pricePerMinuteUsd: number;
}

declare module '@showroom/core' {
  interface AppConfig {
    avatar: AvatarSettings;
  }
}

export const avatarConfig = defineConfigSection({
  owner: 'avatar',
  env: {
    AVATAR_PROVIDER: z.enum(['none', 'liveavatar', 'heygen']).default('none'),
    LIVEAVATAR_API_KEY: z.string().min(1).optional(),
    LIVEAVATAR_BASE_URL: url(['https:', 'http:']).default('https://api.liveavatar.com'),
    LIVEAVATAR_MODE: z.enum(['lite', 'full']).default('lite'),
    LIVEAVATAR_AVATAR_ID: z.string().min(1).optional(),
    LIVEAVATAR_VOICE_ID: z.string().min(1).optional(),
    LIVEAVATAR_LANGUAGE: z.string().min(2).default('en'),
    LIVEAVATAR_SANDBOX: bool.default(false),
    HEYGEN_API_KEY: z.string().min(1).optional(),
    HEYGEN_BASE_URL: url(['https:', 'http:']).default('https://api.heygen.com'),
    HEYGEN_AVATAR_NAME: z.string().min(1).optional(),
    HEYGEN_VOICE_ID: z.string().min(1).optional(),
    HEYGEN_QUALITY: z.enum(['low', 'medium', 'high']).default('medium'),
    HEYGEN_LANGUAGE: z.string().min(2).default('en'),
    AVATAR_IDLE_TIMEOUT_SECONDS: int(30, 86_400).default(600),
    AVATAR_MAX_SESSION_SECONDS: int(60, 86_400).default(1_800),
    AVATAR_CLIENT_TIMEOUT_SECONDS: int(10, 3_600).default(90),
    AVATAR_KEEPALIVE_SECONDS: int(5, 290).default(120),
    AVATAR_SWEEP_INTERVAL_MS: int(1_000, 600_000).default(30_000),
    AVATAR_MAX_CONCURRENT_SESSIONS: int(1, 10_000).default(3),
    AVATAR_MONTHLY_MINUTES: int(1, 10_000_000).default(600),
    AVATAR_PRICE_PER_MINUTE_USD: z.coerce.number({ message: 'expected a number' }).min(0).default(0.1),
  },
  check(env, problem) {
    if (env.AVATAR_PROVIDER === 'liveavatar') {
      if (!env.LIVEAVATAR_API_KEY) problem('LIVEAVATAR_API_KEY', 'required when AVATAR_PROVIDER=liveavatar');
      if (!env.LIVEAVATAR_AVATAR_ID) problem('LIVEAVATAR_AVATAR_ID', 'required when AVATAR_PROVIDER=liveavatar');
    }
    if (env.AVATAR_PROVIDER === 'heygen') {
      if (!env.HEYGEN_API_KEY) problem('HEYGEN_API_KEY', 'required when AVATAR_PROVIDER=heygen');
      if (!env.HEYGEN_AVATAR_NAME) problem('HEYGEN_AVATAR_NAME', 'required when AVATAR_PROVIDER=heygen');
    }
    // The provider must hear from us before its own idle limit (LiveAvatar: 5 minutes).
    if (env.AVATAR_KEEPALIVE_SECONDS * 1000 < env.AVATAR_SWEEP_INTERVAL_MS) {
      problem('AVATAR_SWEEP_INTERVAL_MS', 'must not be longer than AVATAR_KEEPALIVE_SECONDS (the sweep sends the keep-alives)');
    }
  },
  read: (e) => ({
    avatar: {
      provider: e.AVATAR_PROVIDER,
      liveAvatar: {
        apiKey: e.LIVEAVATAR_API_KEY,
        baseUrl: e.LIVEAVATAR_BASE_URL,
        mode: e.LIVEAVATAR_MODE,
        avatarId: e.LIVEAVATAR_AVATAR_ID,
        voiceId: e.LIVEAVATAR_VOICE_ID,
        language: e.LIVEAVATAR_LANGUAGE,
        sandbox: e.LIVEAVATAR_SANDBOX,
      },
      heyGen: {
        apiKey: e.HEYGEN_API_KEY,
        baseUrl: e.HEYGEN_BASE_URL,
        avatarName: e.HEYGEN_AVATAR_NAME,
        voiceId: e.HEYGEN_VOICE_ID,
        quality: e.HEYGEN_QUALITY,
        language: e.HEYGEN_LANGUAGE,
      },
      idleTimeoutSeconds: e.AVATAR_IDLE_TIMEOUT_SECONDS,
      maxSessionSeconds: e.AVATAR_MAX_SESSION_SECONDS,
      clientTimeoutSeconds: e.AVATAR_CLIENT_TIMEOUT_SECONDS,
      keepAliveSeconds: e.AVATAR_KEEPALIVE_SECONDS,
      sweepIntervalMs: e.AVATAR_SWEEP_INTERVAL_MS,
      maxConcurrentSessions: e.AVATAR_MAX_CONCURRENT_SESSIONS,
      monthlyMinutes: e.AVATAR_MONTHLY_MINUTES,
      pricePerMinuteUsd: e.AVATAR_PRICE_PER_MINUTE_USD,
    },
  }),
});
