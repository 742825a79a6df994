import { QueueName } from '../queue/queue-names';
import { Env, envSchema } from './env.schema';

/** The typed configuration every module reads; built once from the environment at start. */
export interface AppConfig {
  env: Env['NODE_ENV'];
  logLevel: Env['LOG_LEVEL'];
  http: {
    port: number;
    workerPort: number;
    bodyLimitBytes: number;
    uploadMaxBytes: number;
    corsOrigins: string[];
    trustProxy: string;
    docsEnabled: boolean;
  };
  database: { url: string; poolSize: number; ssl: boolean; statementTimeoutMs: number };
  redis: { url: string; keyPrefix: string };
  worker: { queues: QueueName[]; concurrency: number; jobAttempts: number; jobBackoffMs: number; scheduleResyncMs: number };
  outbox: { dispatchIntervalMs: number; dispatchBatch: number; retentionHours: number; lostAfterMs: number };
  knowledge: {
    reconcileIntervalMs: number;
    stallAfterMs: number;
    parseTimeoutMs: number;
    parseMaxMemoryMb: number;
    embeddingProvider: 'local' | 'openai';
    embeddingDimensions: number;
    embeddingBatchSize: number;
  };
  auth: {
    /** Undefined outside production when not set: the auth module then makes a random one per process. */
    jwtSecret: string | undefined;
    jwtIssuer: string;
    accessTokenTtlSeconds: number;
    refreshTokenTtlDays: number;
    refreshReuseGraceMs: number;
    registrationEnabled: boolean;
  };
  openai: { apiKey: string | undefined; baseUrl: string; embeddingModel: string };
  /** Hosted providers: per-call timeout and bounded retries (the SDKs back off with jitter). */
  providers: { timeoutMs: number; maxRetries: number };
  rateLimit: { userPerSecond: number; userPerMinute: number; anonymousPerMinute: number; authPerMinute: number };
  shutdown: { graceMs: number; readinessDelayMs: number };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses and validates the environment. Throws a ConfigError naming every bad variable;
 * values are never echoed back because some of them are secrets.
 */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): AppConfig {
  // An empty string means "not set", as it does for most twelve-factor tooling.
  const present = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const e = parsed.data;
  return {
    env: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    http: {
      port: e.PORT,
      workerPort: e.WORKER_PORT,
      bodyLimitBytes: e.HTTP_BODY_LIMIT_BYTES,
      uploadMaxBytes: e.UPLOAD_MAX_BYTES,
      corsOrigins: e.CORS_ORIGINS,
      trustProxy: e.TRUST_PROXY,
      docsEnabled: e.DOCS_ENABLED,
    },
    database: {
      url: e.DATABASE_URL,
      poolSize: e.DATABASE_POOL_SIZE,
      ssl: e.DATABASE_SSL,
      statementTimeoutMs: e.DATABASE_STATEMENT_TIMEOUT_MS,
    },
    redis: { url: e.REDIS_URL, keyPrefix: e.REDIS_KEY_PREFIX },
    worker: {
      queues: e.WORKER_QUEUES,
      concurrency: e.WORKER_CONCURRENCY,
      jobAttempts: e.JOB_ATTEMPTS,
      jobBackoffMs: e.JOB_BACKOFF_MS,
      scheduleResyncMs: e.JOB_SCHEDULE_RESYNC_MS,
    },
    outbox: {
      dispatchIntervalMs: e.OUTBOX_DISPATCH_INTERVAL_MS,
      dispatchBatch: e.OUTBOX_DISPATCH_BATCH,
      retentionHours: e.OUTBOX_RETENTION_HOURS,
      lostAfterMs: e.OUTBOX_LOST_AFTER_MS,
    },
    knowledge: {
      reconcileIntervalMs: e.DOCUMENT_RECONCILE_INTERVAL_MS,
      stallAfterMs: e.DOCUMENT_STALL_AFTER_MS,
      parseTimeoutMs: e.PARSE_TIMEOUT_MS,
      parseMaxMemoryMb: e.PARSE_MAX_MEMORY_MB,
      embeddingProvider: e.EMBEDDING_PROVIDER,
      embeddingDimensions: e.EMBEDDING_DIMENSIONS,
      embeddingBatchSize: e.EMBEDDING_BATCH_SIZE,
    },
    auth: {
      jwtSecret: e.JWT_SECRET,
      jwtIssuer: e.JWT_ISSUER,
      accessTokenTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
      refreshTokenTtlDays: e.REFRESH_TOKEN_TTL_DAYS,
      refreshReuseGraceMs: e.REFRESH_REUSE_GRACE_MS,
      registrationEnabled: e.REGISTRATION_ENABLED,
    },
    openai: { apiKey: e.OPENAI_API_KEY, baseUrl: e.OPENAI_BASE_URL, embeddingModel: e.OPENAI_EMBEDDING_MODEL },
    providers: { timeoutMs: e.PROVIDER_TIMEOUT_MS, maxRetries: e.PROVIDER_MAX_RETRIES },
    rateLimit: {
      userPerSecond: e.RATE_LIMIT_USER_PER_SECOND,
      userPerMinute: e.RATE_LIMIT_USER_PER_MINUTE,
      anonymousPerMinute: e.RATE_LIMIT_ANONYMOUS_PER_MINUTE,
      authPerMinute: e.RATE_LIMIT_AUTH_PER_MINUTE,
    },
    shutdown: { graceMs: e.SHUTDOWN_GRACE_MS, readinessDelayMs: e.SHUTDOWN_READINESS_DELAY_MS },
  };
}
