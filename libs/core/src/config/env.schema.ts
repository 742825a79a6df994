import { z } from 'zod';
import { QUEUE_NAMES } from '../queue/queue-names';
import { envBool as bool, envInt as int, envList as list, envUrl as url } from './env-values';

/**
 * The variables core itself reads: process, HTTP, Postgres, Redis, jobs and the outbox,
 * the hosted-provider account and resilience settings several domains share, and shutdown.
 * Each domain lib declares its own in a config section (`<lib>.config.ts`); `.env.example`
 * documents them all, one block per owner, and test/config-sections.spec.ts keeps the two in step.
 * Defaults are chosen so the product runs on a developer machine with no `.env` at all.
 */
export const coreEnvShape = {
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

  // 0 asks the OS for any free port (used by tests).
  PORT: int(0, 65535).default(3000),
  WORKER_PORT: int(0, 65535).default(3001),
  HTTP_BODY_LIMIT_BYTES: int(1024, 100 * 1024 * 1024).default(1024 * 1024),
  CORS_ORIGINS: list.default([]),
  TRUST_PROXY: z.string().default('loopback'),
  DOCS_ENABLED: bool.default(true),

  DATABASE_URL: url(['postgres:', 'postgresql:']).default('postgres://postgres@127.0.0.1:5432/test'),
  DATABASE_POOL_SIZE: int(1, 200).default(10),
  DATABASE_SSL: bool.default(false),
  DATABASE_STATEMENT_TIMEOUT_MS: int(100, 600_000).default(30_000),
  DATABASE_ACQUIRE_TIMEOUT_MS: int(100, 600_000).default(5_000),

  REDIS_URL: url(['redis:', 'rediss:']).default('redis://127.0.0.1:6379'),
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[a-z0-9][a-z0-9:_-]*$/i, { message: 'expected letters, digits, ":", "_" or "-"' })
    .default('showroom'),

  WORKER_QUEUES: list
    .pipe(z.array(z.enum(QUEUE_NAMES, { message: `expected a comma list of ${QUEUE_NAMES.join(', ')}` })))
    .default([...QUEUE_NAMES]),
  WORKER_CONCURRENCY: int(1, 256).default(4),
  JOB_ATTEMPTS: int(1, 50).default(5),
  JOB_BACKOFF_MS: int(100, 3_600_000).default(2_000),
  JOB_SCHEDULE_RESYNC_MS: int(1_000, 3_600_000).default(60_000),
  JOB_LOCK_DURATION_MS: int(1_000, 3_600_000).default(30_000),

  OUTBOX_DISPATCH_INTERVAL_MS: int(1_000, 3_600_000).default(10_000),
  OUTBOX_DISPATCH_BATCH: int(1, 10_000).default(500),
  OUTBOX_RETENTION_HOURS: int(1, 24 * 90).default(72),
  OUTBOX_LOST_AFTER_MS: int(1_000, 24 * 3_600_000).default(60_000),

  // One OpenAI account serves embeddings, the LLM (unless LLM_API_KEY is set) and speech.
  OPENAI_API_KEY: z.string().min(1).optional(),
  OPENAI_BASE_URL: url(['https:', 'http:']).default('https://api.openai.com/v1'),
  PROVIDER_TIMEOUT_MS: int(100, 600_000).default(30_000),
  PROVIDER_MAX_RETRIES: int(0, 10).default(2),

  SHUTDOWN_GRACE_MS: int(1_000, 600_000).default(25_000),
  SHUTDOWN_READINESS_DELAY_MS: int(0, 120_000).default(0),
};

export type CoreEnv = z.output<z.ZodObject<typeof coreEnvShape>>;
