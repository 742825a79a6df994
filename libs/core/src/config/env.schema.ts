import { z } from 'zod';
import { QUEUE_NAMES } from '../queue/queue-names';

/**
 * Every environment variable the product reads, with its default.
 * `.env.example` documents the same list; `config.spec.ts` keeps the two in step.
 * Defaults are chosen so the product runs on a developer machine with no `.env` at all.
 */
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const int = (min: number, max: number) =>
  z.coerce
    .number({ message: 'expected a whole number' })
    .int({ message: 'expected a whole number' })
    .min(min, { message: `expected at least ${min}` })
    .max(max, { message: `expected at most ${max}` });

const url = (protocols: string[]) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { message: `expected a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}` },
  );

/**
 * Price per million tokens by model, as JSON: {"gpt-4o-mini":{"input":0.15,"output":0.6}}.
 * Used for the estimated cost in usage reports only.
 */
const priceTable = z
  .string()
  .transform((raw, ctx) => {
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'expected JSON' });
      return z.NEVER;
    }
  })
  .pipe(z.record(z.string(), z.object({ input: z.number().min(0), output: z.number().min(0) }), { message: 'expected {"model":{"input":n,"output":n}}' }));

const DEFAULT_LLM_PRICES = '{"gpt-4o-mini":{"input":0.15,"output":0.6},"gpt-4o":{"input":2.5,"output":10},"local-extractive":{"input":0,"output":0}}';

const list = z
  .string()
  .transform((v) => v.split(',').map((s) => s.trim()).filter((s) => s.length > 0));


export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

  // 0 asks the OS for any free port (used by tests).
  PORT: int(0, 65535).default(3000),
  WORKER_PORT: int(0, 65535).default(3001),
  HTTP_BODY_LIMIT_BYTES: int(1024, 100 * 1024 * 1024).default(1024 * 1024),
  UPLOAD_MAX_BYTES: int(1024, 1024 * 1024 * 1024).default(25 * 1024 * 1024),
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

  PARSE_TIMEOUT_MS: int(1_000, 3_600_000).default(120_000),
  PARSE_MAX_MEMORY_MB: int(32, 16_384).default(512),
  EMBEDDING_PROVIDER: z.enum(['local', 'openai']).default('local'),
  OPENAI_API_KEY: z.string().min(1).optional(),
  OPENAI_BASE_URL: url(['https:', 'http:']).default('https://api.openai.com/v1'),
  OPENAI_EMBEDDING_MODEL: z.string().min(1).default('text-embedding-3-small'),
  PROVIDER_TIMEOUT_MS: int(100, 600_000).default(30_000),
  PROVIDER_MAX_RETRIES: int(0, 10).default(2),
  EMBEDDING_DIMENSIONS: int(16, 4096).default(1024),
  EMBEDDING_BATCH_SIZE: int(1, 2048).default(64),
  DOCUMENT_RECONCILE_INTERVAL_MS: int(1_000, 3_600_000).default(60_000),
  DOCUMENT_STALL_AFTER_MS: int(1_000, 24 * 3_600_000).default(300_000),
  VECTOR_STORE: z.enum(['postgres', 'pinecone']).default('postgres'),
  VECTOR_CACHE_MAX_MB: int(16, 65_536).default(256),
  PINECONE_API_KEY: z.string().min(1).optional(),
  PINECONE_INDEX: z.string().min(1).default('showroom'),
  PINECONE_INDEX_HOST: url(['https:', 'http:']).optional(),
  PINECONE_UPSERT_BATCH: int(1, 1_000).default(100),

  LLM_PROVIDER: z.enum(['local', 'openai']).default('local'),
  LLM_API_KEY: z.string().min(1).optional(),
  LLM_BASE_URL: url(['https:', 'http:']).default('https://api.openai.com/v1'),
  LLM_MODEL: z.string().min(1).default('gpt-4o-mini'),
  LLM_FIRST_TOKEN_TIMEOUT_MS: int(100, 600_000).default(15_000),
  LLM_TOTAL_TIMEOUT_MS: int(100, 3_600_000).default(120_000),
  LLM_MAX_RETRIES: int(0, 10).default(2),
  LLM_MAX_OUTPUT_TOKENS: int(16, 128_000).default(800),
  LLM_PRICES: priceTable.prefault(DEFAULT_LLM_PRICES),
  CHAT_HISTORY_TOKEN_BUDGET: int(0, 1_000_000).default(3_000),
  CHAT_CONTEXT_TOKEN_BUDGET: int(100, 1_000_000).default(3_000),
  CHAT_RETRIEVAL_TOP_K: int(1, 50).default(5),
  CHAT_MIN_RELEVANCE: z.coerce.number({ message: 'expected a number' }).min(0).max(1).default(0.15),
  CHAT_MESSAGE_MAX_CHARS: int(1, 100_000).default(8_000),
  CHAT_STREAM_RETENTION_SECONDS: int(10, 86_400).default(600),
  CHAT_RESUME_GRACE_MS: int(0, 600_000).default(10_000),
  CHAT_MAX_ANSWERS_IN_FLIGHT: int(1, 100_000).default(200),

  JWT_SECRET: z.string().min(32, { message: 'expected at least 32 characters' }).optional(),
  JWT_ISSUER: z.string().min(1).default('showroom'),
  ACCESS_TOKEN_TTL_SECONDS: int(60, 3_600).default(900),
  REFRESH_TOKEN_TTL_DAYS: int(1, 365).default(30),
  REFRESH_REUSE_GRACE_MS: int(0, 60_000).default(5_000),
  REGISTRATION_ENABLED: bool.default(true),

  RATE_LIMIT_USER_PER_SECOND: int(1, 100_000).default(10),
  RATE_LIMIT_USER_PER_MINUTE: int(1, 1_000_000).default(100),
  RATE_LIMIT_ANONYMOUS_PER_MINUTE: int(1, 1_000_000).default(60),
  RATE_LIMIT_AUTH_PER_MINUTE: int(1, 10_000).default(10),

  SHUTDOWN_GRACE_MS: int(1_000, 600_000).default(25_000),
  SHUTDOWN_READINESS_DELAY_MS: int(0, 120_000).default(0),
}).superRefine((env, ctx) => {
  // A development machine may run without a secret (a random one is made per process);
  // production must share one across pods, or tokens would fail on every other pod.
  if (env.EMBEDDING_PROVIDER === 'openai' && !env.OPENAI_API_KEY) {
    ctx.addIssue({ code: 'custom', path: ['OPENAI_API_KEY'], message: 'required when EMBEDDING_PROVIDER=openai' });
  }
  if (env.VECTOR_STORE === 'pinecone' && !env.PINECONE_API_KEY) {
    ctx.addIssue({ code: 'custom', path: ['PINECONE_API_KEY'], message: 'required when VECTOR_STORE=pinecone' });
  }
  if (env.LLM_PROVIDER === 'openai' && !env.LLM_API_KEY && !env.OPENAI_API_KEY) {
    ctx.addIssue({ code: 'custom', path: ['LLM_API_KEY'], message: 'required (or OPENAI_API_KEY) when LLM_PROVIDER=openai' });
  }
  if (env.NODE_ENV === 'production' && !env.JWT_SECRET) {
    ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'required when NODE_ENV=production' });
  }
});

export type EnvInput = z.input<typeof envSchema>;
export type Env = z.output<typeof envSchema>;
