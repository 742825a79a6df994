import { z } from 'zod';
import { defineConfigSection, envBool as bool, envInt as int } from '@showroom/core';

export interface AuthSettings {
  /** Undefined outside production when not set: the auth module then makes a random one per process. */
  jwtSecret: string | undefined;
  jwtIssuer: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlDays: number;
  refreshReuseGraceMs: number;
  registrationEnabled: boolean;
  /** How long a verified user row may answer later requests on the same pod (0: never; at most 1 s). */
  userCacheMs: number;
}

export interface RateLimitSettings {
  userPerSecond: number;
  userPerMinute: number;
  anonymousPerMinute: number;
  authPerMinute: number;
  wsHandshakesPerMinute: number;
  refusedCredentialsPerMinute: number;
}

declare module '@showroom/core' {
  interface AppConfig {
    auth: AuthSettings;
    rateLimit: RateLimitSettings;
  }
}

export const authConfig = defineConfigSection({
  owner: 'auth',
  env: {
    JWT_SECRET: z.string().min(32, { message: 'expected at least 32 characters' }).optional(),
    JWT_ISSUER: z.string().min(1).default('showroom'),
    ACCESS_TOKEN_TTL_SECONDS: int(60, 3_600).default(900),
    REFRESH_TOKEN_TTL_DAYS: int(1, 365).default(30),
    REFRESH_REUSE_GRACE_MS: int(0, 60_000).default(5_000),
    REGISTRATION_ENABLED: bool.default(true),
    // At most a second: a deactivation or role change must reach every pod within one.
    AUTH_USER_CACHE_MS: int(0, 1_000).default(1_000),

    RATE_LIMIT_USER_PER_SECOND: int(1, 100_000).default(10),
    RATE_LIMIT_USER_PER_MINUTE: int(1, 1_000_000).default(100),
    RATE_LIMIT_ANONYMOUS_PER_MINUTE: int(1, 1_000_000).default(60),
    RATE_LIMIT_AUTH_PER_MINUTE: int(1, 10_000).default(10),
    RATE_LIMIT_WS_HANDSHAKES_PER_MINUTE: int(1, 100_000).default(30),
    RATE_LIMIT_REFUSED_CREDENTIALS_PER_MINUTE: int(1, 100_000).default(30),
  },
  check(env, problem) {
    // A development machine may run without a secret (a random one is made per process);
    // production must share one across pods, or tokens would fail on every other pod.
    if (env.NODE_ENV === 'production' && !env.JWT_SECRET) problem('JWT_SECRET', 'required when NODE_ENV=production');
  },
  read: (e) => ({
    auth: {
      jwtSecret: e.JWT_SECRET,
      jwtIssuer: e.JWT_ISSUER,
      accessTokenTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
      refreshTokenTtlDays: e.REFRESH_TOKEN_TTL_DAYS,
      refreshReuseGraceMs: e.REFRESH_REUSE_GRACE_MS,
      registrationEnabled: e.REGISTRATION_ENABLED,
      userCacheMs: e.AUTH_USER_CACHE_MS,
    },
    rateLimit: {
      userPerSecond: e.RATE_LIMIT_USER_PER_SECOND,
      userPerMinute: e.RATE_LIMIT_USER_PER_MINUTE,
      anonymousPerMinute: e.RATE_LIMIT_ANONYMOUS_PER_MINUTE,
      authPerMinute: e.RATE_LIMIT_AUTH_PER_MINUTE,
      wsHandshakesPerMinute: e.RATE_LIMIT_WS_HANDSHAKES_PER_MINUTE,
      refusedCredentialsPerMinute: e.RATE_LIMIT_REFUSED_CREDENTIALS_PER_MINUTE,
    },
  }),
});
