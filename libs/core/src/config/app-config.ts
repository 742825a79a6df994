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
  database: { url: string; poolSize: number; ssl: boolean; statementTimeoutMs: number; acquireTimeoutMs: number };
  redis: { url: string; keyPrefix: string };
  worker: { queues: QueueName[]; concurrency: number; jobAttempts: number; jobBackoffMs: number; scheduleResyncMs: number; lockDurationMs: number };
  outbox: { dispatchIntervalMs: number; dispatchBatch: number; retentionHours: number; lostAfterMs: number };
  knowledge: {
    reconcileIntervalMs: number;
    stallAfterMs: number;
    parseTimeoutMs: number;
    parseMaxMemoryMb: number;
    embeddingProvider: 'local' | 'openai';
    embeddingDimensions: number;
    embeddingBatchSize: number;
    vectorStore: 'postgres' | 'pinecone';
    vectorCacheMaxMb: number;
  };
  pinecone: { apiKey: string | undefined; index: string; indexHost: string | undefined; upsertBatch: number };
  llm: {
    provider: 'local' | 'openai';
    apiKey: string | undefined;
    baseUrl: string;
    model: string;
    firstTokenTimeoutMs: number;
    totalTimeoutMs: number;
    maxRetries: number;
    maxOutputTokens: number;
    /** USD per million tokens, by model. */
    prices: Record<string, { input: number; output: number }>;
  };
  chat: {
    historyTokenBudget: number;
    contextTokenBudget: number;
    retrievalTopK: number;
    /** Below this best-passage relevance the assistant says it does not know. */
    minRelevance: number;
    messageMaxChars: number;
    streamRetentionSeconds: number;
    /** After a client disconnects, how long the answer goes on for it to resume before the upstream call is aborted. */
    resumeGraceMs: number;
    /** Answers one api process produces at once; more are refused at once with 503 SERVICE_BUSY. */
    maxAnswersInFlight: number;
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
      acquireTimeoutMs: e.DATABASE_ACQUIRE_TIMEOUT_MS,
    },
    redis: { url: e.REDIS_URL, keyPrefix: e.REDIS_KEY_PREFIX },
    worker: {
      queues: e.WORKER_QUEUES,
      concurrency: e.WORKER_CONCURRENCY,
      jobAttempts: e.JOB_ATTEMPTS,
      jobBackoffMs: e.JOB_BACKOFF_MS,
      scheduleResyncMs: e.JOB_SCHEDULE_RESYNC_MS,
      lockDurationMs: e.JOB_LOCK_DURATION_MS,
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
      vectorStore: e.VECTOR_STORE,
      vectorCacheMaxMb: e.VECTOR_CACHE_MAX_MB,
    },
    pinecone: { apiKey: e.PINECONE_API_KEY, index: e.PINECONE_INDEX, indexHost: e.PINECONE_INDEX_HOST, upsertBatch: e.PINECONE_UPSERT_BATCH },
    llm: {
      provider: e.LLM_PROVIDER,
      apiKey: e.LLM_API_KEY ?? e.OPENAI_API_KEY,
      baseUrl: e.LLM_BASE_URL,
      model: e.LLM_MODEL,
      firstTokenTimeoutMs: e.LLM_FIRST_TOKEN_TIMEOUT_MS,
      totalTimeoutMs: e.LLM_TOTAL_TIMEOUT_MS,
      maxRetries: e.LLM_MAX_RETRIES,
      maxOutputTokens: e.LLM_MAX_OUTPUT_TOKENS,
      prices: e.LLM_PRICES,
    },
    chat: {
      historyTokenBudget: e.CHAT_HISTORY_TOKEN_BUDGET,
      contextTokenBudget: e.CHAT_CONTEXT_TOKEN_BUDGET,
      retrievalTopK: e.CHAT_RETRIEVAL_TOP_K,
      minRelevance: e.CHAT_MIN_RELEVANCE,
      messageMaxChars: e.CHAT_MESSAGE_MAX_CHARS,
      streamRetentionSeconds: e.CHAT_STREAM_RETENTION_SECONDS,
      resumeGraceMs: e.CHAT_RESUME_GRACE_MS,
      maxAnswersInFlight: e.CHAT_MAX_ANSWERS_IN_FLIGHT,
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
