import { z } from 'zod';
import { QueueName } from '../queue/queue-names';
import type { AnyConfigSection } from './config-section';
import { CoreEnv, coreEnvShape } from './env.schema';

/**
 * The typed configuration every module reads; built once from the environment at start.
 * These are core's settings; each domain lib adds its own (`chat`, `knowledge`, `auth`, …)
 * by module augmentation from its config section.
 */
export interface AppConfig {
  env: CoreEnv['NODE_ENV'];
  logLevel: CoreEnv['LOG_LEVEL'];
  http: {
    port: number;
    workerPort: number;
    bodyLimitBytes: number;
    corsOrigins: string[];
    trustProxy: string;
    docsEnabled: boolean;
  };
  database: { url: string; poolSize: number; ssl: boolean; statementTimeoutMs: number; acquireTimeoutMs: number };
  redis: { url: string; keyPrefix: string };
  worker: { queues: QueueName[]; concurrency: number; jobAttempts: number; jobBackoffMs: number; scheduleResyncMs: number; lockDurationMs: number };
  outbox: { dispatchIntervalMs: number; dispatchBatch: number; retentionHours: number; lostAfterMs: number };
  /** The OpenAI account shared by the domains that call OpenAI (embeddings, LLM, speech). */
  openai: { apiKey: string | undefined; baseUrl: string };
  /** Hosted providers: per-call timeout and bounded retries (the SDKs back off with jitter). */
  providers: { timeoutMs: number; maxRetries: number };
  shutdown: { graceMs: number; readinessDelayMs: number };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * The one schema of every variable: core's and each section's. Two sections claiming one
 * variable is a programming error, reported at once.
 */
export function composeEnvSchema(sections: readonly AnyConfigSection[] = []) {
  const shape: z.ZodRawShape = { ...coreEnvShape };
  for (const section of sections) {
    for (const variable of Object.keys(section.env)) {
      if (variable in shape) throw new Error(`config variable ${variable} is declared twice (again by ${section.owner})`);
    }
    Object.assign(shape, section.env);
  }
  return z.object(shape).superRefine((env, ctx) => {
    const problem = (variable: string, message: string) => ctx.addIssue({ code: 'custom', path: [variable], message });
    for (const section of sections) section.check?.(env as never, problem);
  });
}

/**
 * Parses and validates the environment for core and the given sections. Throws a ConfigError
 * naming every bad variable; values are never echoed back because some of them are secrets.
 */
export function loadConfig(source: NodeJS.ProcessEnv = process.env, sections: readonly AnyConfigSection[] = []): AppConfig {
  // An empty string means "not set", as it does for most twelve-factor tooling.
  const present = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = composeEnvSchema(sections).safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const env = parsed.data as CoreEnv;
  const config = Object.assign(readCoreConfig(env), ...sections.map((section) => section.read(env as never) as object));
  return config as AppConfig;
}

function readCoreConfig(e: CoreEnv) {
  return {
    env: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    http: {
      port: e.PORT,
      workerPort: e.WORKER_PORT,
      bodyLimitBytes: e.HTTP_BODY_LIMIT_BYTES,
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
    openai: { apiKey: e.OPENAI_API_KEY, baseUrl: e.OPENAI_BASE_URL },
    providers: { timeoutMs: e.PROVIDER_TIMEOUT_MS, maxRetries: e.PROVIDER_MAX_RETRIES },
    shutdown: { graceMs: e.SHUTDOWN_GRACE_MS, readinessDelayMs: e.SHUTDOWN_READINESS_DELAY_MS },
  } satisfies Partial<AppConfig>;
}
