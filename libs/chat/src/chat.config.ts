import { z } from 'zod';
import { defineConfigSection, envInt as int, envJson, envUrl as url } from '@showroom/core';

export interface LlmSettings {
  provider: 'local' | 'openai';
  apiKey: string | undefined;
  baseUrl: string;
  model: string;
  firstTokenTimeoutMs: number;
  totalTimeoutMs: number;
  maxRetries: number;
  maxOutputTokens: number;
  /** After an answer's first text, its upstream stream is read at most this often (0: every packet at once). */
  streamReadIntervalMs: number;
  /** How far that interval stretches while the event loop is saturated (StreamReadPacer). */
  streamReadIntervalMaxMs: number;
  /** USD per million tokens, by model. */
  prices: Record<string, { input: number; output: number }>;
}

export interface ChatSettings {
  historyTokenBudget: number;
  contextTokenBudget: number;
  retrievalTopK: number;
  /** A passage whose cosine similarity reaches this is relevant (semantic embedders; 0 from BM25-only hits). */
  minRelevance: number;
  /** A passage holding at least this share of the question's informative words is relevant (lexical retrieval). */
  minTermCoverage: number;
  messageMaxChars: number;
  streamRetentionSeconds: number;
  /** After a client disconnects, how long the answer goes on for it to resume before the upstream call is aborted. */
  resumeGraceMs: number;
  /** Answers one api process produces at once (waiting to start included); more are refused at once with 503 SERVICE_BUSY. */
  maxAnswersInFlight: number;
  /** Of those, how many may be starting (turn stored, retrieval, prompt, model opened) at once; the rest wait in arrival order. */
  maxAnswersStarting: number;
}

/** Conversation exports and reports (libs/chat/src/exports, reports). */
export interface ExportSettings {
  /** A ready file is downloadable this long, then the sweep deletes it and the row says `expired`. */
  ttlHours: number;
  /** Messages in one conversation export, and lines in one report. */
  maxMessages: number;
  /** Largest generated file. */
  maxBytes: number;
  /** Exports and reports a dealership may request per UTC day. */
  dailyLimit: number;
  /** Bytes of ready files a dealership may hold at once. */
  maxBytesHeld: number;
  sweepIntervalMs: number;
  pdfFont: string;
  pdfFontBold: string;
}

declare module '@showroom/core' {
  interface AppConfig {
    llm: LlmSettings;
    chat: ChatSettings;
    exports: ExportSettings;
  }
}

/**
 * Price per million tokens by model, as JSON: {"gpt-4o-mini":{"input":0.15,"output":0.6}}.
 * Used for the estimated cost in usage reports only.
 */
const priceTable = envJson(z.record(z.string(), z.object({ input: z.number().min(0), output: z.number().min(0) }), { message: 'expected {"model":{"input":n,"output":n}}' }));

const DEFAULT_LLM_PRICES = '{"gpt-4o-mini":{"input":0.15,"output":0.6},"gpt-4o":{"input":2.5,"output":10},"local-extractive":{"input":0,"output":0}}';

export const chatConfig = defineConfigSection({
  owner: 'chat',
  env: {
    LLM_PROVIDER: z.enum(['local', 'openai']).default('local'),
    LLM_API_KEY: z.string().min(1).optional(),
    LLM_BASE_URL: url(['https:', 'http:']).default('https://api.openai.com/v1'),
    LLM_MODEL: z.string().min(1).default('gpt-4o-mini'),
    LLM_FIRST_TOKEN_TIMEOUT_MS: int(100, 600_000).default(15_000),
    LLM_TOTAL_TIMEOUT_MS: int(100, 3_600_000).default(120_000),
    LLM_MAX_RETRIES: int(0, 10).default(2),
    LLM_MAX_OUTPUT_TOKENS: int(16, 128_000).default(800),
    LLM_STREAM_READ_INTERVAL_MS: int(0, 1_000).default(50),
    LLM_STREAM_READ_INTERVAL_MAX_MS: int(0, 5_000).default(400),
    LLM_PRICES: priceTable.prefault(DEFAULT_LLM_PRICES),
    CHAT_HISTORY_TOKEN_BUDGET: int(0, 1_000_000).default(3_000),
    CHAT_CONTEXT_TOKEN_BUDGET: int(100, 1_000_000).default(3_000),
    CHAT_RETRIEVAL_TOP_K: int(1, 50).default(5),
    CHAT_MIN_RELEVANCE: z.coerce.number({ message: 'expected a number' }).min(0).max(1).default(0.15),
    CHAT_MIN_TERM_COVERAGE: z.coerce.number({ message: 'expected a number' }).min(0).max(1).default(0.3),
    CHAT_MESSAGE_MAX_CHARS: int(1, 100_000).default(8_000),
    CHAT_STREAM_RETENTION_SECONDS: int(10, 86_400).default(600),
    CHAT_RESUME_GRACE_MS: int(0, 600_000).default(10_000),
    CHAT_MAX_ANSWERS_IN_FLIGHT: int(1, 100_000).default(1_000),
    CHAT_MAX_ANSWERS_STARTING: int(1, 100_000).default(32),
    EXPORT_TTL_HOURS: int(1, 24 * 365).default(24),
    EXPORT_MAX_MESSAGES: int(1, 1_000_000).default(5_000),
    EXPORT_MAX_BYTES: int(1024, 2 * 1024 * 1024 * 1024 - 1).default(50 * 1024 * 1024),
    EXPORT_DAILY_LIMIT: int(1, 1_000_000).default(200),
    EXPORT_MAX_BYTES_HELD: int(1024, Number.MAX_SAFE_INTEGER).default(1024 * 1024 * 1024),
    EXPORT_SWEEP_INTERVAL_MS: int(1_000, 86_400_000).default(300_000),
    EXPORT_PDF_FONT: z.string().min(1).default('/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf'),
    EXPORT_PDF_FONT_BOLD: z.string().min(1).default('/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf'),
  },
  check(env, problem) {
    if (env.LLM_PROVIDER === 'openai' && !env.LLM_API_KEY && !env.OPENAI_API_KEY) {
      problem('LLM_API_KEY', 'required (or OPENAI_API_KEY) when LLM_PROVIDER=openai');
    }
  },
  read: (e) => ({
    llm: {
      provider: e.LLM_PROVIDER,
      apiKey: e.LLM_API_KEY ?? e.OPENAI_API_KEY,
      baseUrl: e.LLM_BASE_URL,
      model: e.LLM_MODEL,
      firstTokenTimeoutMs: e.LLM_FIRST_TOKEN_TIMEOUT_MS,
      totalTimeoutMs: e.LLM_TOTAL_TIMEOUT_MS,
      maxRetries: e.LLM_MAX_RETRIES,
      maxOutputTokens: e.LLM_MAX_OUTPUT_TOKENS,
      streamReadIntervalMs: e.LLM_STREAM_READ_INTERVAL_MS,
      streamReadIntervalMaxMs: e.LLM_STREAM_READ_INTERVAL_MAX_MS,
      prices: e.LLM_PRICES,
    },
    chat: {
      historyTokenBudget: e.CHAT_HISTORY_TOKEN_BUDGET,
      contextTokenBudget: e.CHAT_CONTEXT_TOKEN_BUDGET,
      retrievalTopK: e.CHAT_RETRIEVAL_TOP_K,
      minRelevance: e.CHAT_MIN_RELEVANCE,
      minTermCoverage: e.CHAT_MIN_TERM_COVERAGE,
      messageMaxChars: e.CHAT_MESSAGE_MAX_CHARS,
      streamRetentionSeconds: e.CHAT_STREAM_RETENTION_SECONDS,
      resumeGraceMs: e.CHAT_RESUME_GRACE_MS,
      maxAnswersInFlight: e.CHAT_MAX_ANSWERS_IN_FLIGHT,
      maxAnswersStarting: e.CHAT_MAX_ANSWERS_STARTING,
    },
    exports: {
      ttlHours: e.EXPORT_TTL_HOURS,
      maxMessages: e.EXPORT_MAX_MESSAGES,
      maxBytes: e.EXPORT_MAX_BYTES,
      dailyLimit: e.EXPORT_DAILY_LIMIT,
      maxBytesHeld: e.EXPORT_MAX_BYTES_HELD,
      sweepIntervalMs: e.EXPORT_SWEEP_INTERVAL_MS,
      pdfFont: e.EXPORT_PDF_FONT,
      pdfFontBold: e.EXPORT_PDF_FONT_BOLD,
    },
  }),
});
