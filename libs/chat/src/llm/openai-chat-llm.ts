import { Logger } from '@nestjs/common';
import { AppException, type ProviderBreakerOptions, StreamBreaker, isBreakerRejection } from '@showroom/core';
import OpenAI, { APIConnectionError, APIError, OpenAIError } from 'openai';
import { isLlmAbort, LlmAbortedError, llmErrors } from './llm-errors';
import type { LlmEvent, LlmPort, LlmRequest } from './llm.port';
import { nodeBodyOf, nodeHttpFetch } from './node-http-fetch';
import { SseEventReader, type ServerSentEvent } from './sse-event-reader';
import { StreamDeadlines } from './stream-deadlines';
import { StreamReadPacer } from './stream-read-pacer';
import { countMessageTokens, countTextTokens } from './token-count';

export interface OpenAiChatLlmOptions {
  apiKey: string;
  /** Any server speaking OpenAI's chat completions: OpenAI, Azure OpenAI, OpenRouter, vLLM, Ollama. */
  baseUrl: string;
  model: string;
  firstTokenTimeoutMs: number;
  totalTimeoutMs: number;
  maxRetries: number;
  breaker?: ProviderBreakerOptions;
  /**
   * After the first text, the answer's stream is read at most this often (0: as each packet
   * arrives): what arrived meanwhile is decoded and passed on in one go. See StreamReadPacer.
   */
  readIntervalMs?: number;
  /** How far the read interval may stretch while the event loop is saturated (default: readIntervalMs, no stretching). */
  readIntervalMaxMs?: number;
}

/** The parts of a chat.completion.chunk we use. */
interface Chunk {
  choices: { delta?: { content?: string | null } | null; finish_reason?: string | null }[];
  usage?: { prompt_tokens: number; completion_tokens: number } | null;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isNullishString = (value: unknown) => value === undefined || value === null || typeof value === 'string';
const isCount = (value: unknown) => Number.isSafeInteger(value) && (value as number) >= 0;

/**
 * Checked on every chunk, so a proxy sending something else mid-stream is LLM_BAD_RESPONSE
 * rather than an answer silently missing words: choices an array of objects, each delta absent,
 * null or an object whose content is absent, null or a string, finish_reason absent, null or a
 * string; usage absent, null or two non-negative integer counts. Other fields are ignored. (The
 * rules of the zod schema this replaced, written out: zod's safeParse per token was among the
 * api's allocations per token.)
 */
function isChunk(raw: unknown): raw is Chunk {
  if (!isRecord(raw) || !Array.isArray(raw.choices)) return false;
  for (const choice of raw.choices) {
    if (!isRecord(choice) || !isNullishString(choice.finish_reason)) return false;
    const delta = choice.delta;
    if (delta !== undefined && delta !== null && (!isRecord(delta) || !isNullishString(delta.content))) return false;
  }
  const usage = raw.usage;
  return usage === undefined || usage === null || (isRecord(usage) && isCount(usage.prompt_tokens) && isCount(usage.completion_tokens));
}

interface Part {
  text: string;
  finishReason?: string;
  usage?: { inputTokens: number; outputTokens: number };
}

/** Two consecutive parts as one: the texts joined, the later finish reason and usage where given. */
function joinParts(earlier: Part | undefined, later: Part): Part {
  if (!earlier) return later;
  return {
    text: earlier.text + later.text,
    finishReason: later.finishReason ?? earlier.finishReason,
    usage: later.usage ?? earlier.usage,
  };
}

interface OpenedStream {
  parts: AsyncGenerator<Part>;
  /** Parts read while waiting for the first text (the first text included). */
  head: Part[];
}

/**
 * Streams answers through the official `openai` SDK. Retries (the SDK's, with backoff, jitter and
 * Retry-After) happen only while the request is being opened, that is before any text reached
 * the caller; once text has gone out, a failure ends the answer with an error and is never
 * retried, so the client never sees words twice. A circuit breaker guards the opening.
 */
export class OpenAiChatLlm implements LlmPort {
  readonly provider = 'openai';
  readonly model: string;
  private readonly client: OpenAI;
  private readonly breaker: StreamBreaker;
  private readonly logger = new Logger(OpenAiChatLlm.name);
  private readonly pacer: StreamReadPacer | undefined;

  constructor(private readonly options: OpenAiChatLlmOptions) {
    this.model = options.model;
    const interval = options.readIntervalMs ?? 0;
    this.pacer = interval > 0 ? new StreamReadPacer(interval, Math.max(interval, options.readIntervalMaxMs ?? interval)) : undefined;
    this.client = new OpenAI({
      apiKey: options.apiKey,
      baseURL: options.baseUrl,
      maxRetries: options.maxRetries,
      // Only a backstop: StreamDeadlines enforces the real limits.
      timeout: options.totalTimeoutMs,
      // The SDK would write to the console, outside our JSON logs; failures are logged below with their cause.
      logLevel: 'off',
      // node:http(s) with a keep-alive agent instead of the global (undici) fetch: less CPU per request (node-http-fetch.ts).
      fetch: nodeHttpFetch,
    });
    this.breaker = new StreamBreaker(
      `LLM ${new URL(options.baseUrl).host}`,
      // The caller leaving, or a request the provider rejects as malformed (such as a prompt
      // over the context window), says nothing about the provider's health.
      (error, callerSignal) => callerSignal.aborted || (error instanceof APIError && error.status === 400),
      options.breaker,
    );
  }

  async *stream(request: LlmRequest): AsyncGenerator<LlmEvent> {
    const deadlines = new StreamDeadlines(request.signal, this.options.firstTokenTimeoutMs, this.options.totalTimeoutMs);
    try {
      const { parts, head } = await this.breaker.fire(() => this.open(request, deadlines.signal), request.signal);
      deadlines.firstTokenArrived();
      let text = '';
      let finishReason: string | undefined;
      let usage: Part['usage'];
      const absorb = (part: Part) => {
        text += part.text;
        finishReason = part.finishReason ?? finishReason;
        usage = part.usage ?? usage;
      };
      for (const part of head) {
        absorb(part);
        if (part.text) yield { type: 'delta', text: part.text };
      }
      for await (const part of parts) {
        absorb(part);
        if (part.text) yield { type: 'delta', text: part.text };
      }
      // The SDK ends a stream quietly when its signal aborts: find out whether one did.
      deadlines.signal.throwIfAborted();
      if (!finishReason) throw llmErrors.badResponse(this.provider, 'the stream ended before the answer was finished');
      yield {
        type: 'done',
        // The configured name, not the upstream's dated snapshot: prices and metric labels key on it.
        model: this.model,
        finishReason,
        usage: usage ?? { inputTokens: countMessageTokens(request.messages), outputTokens: countTextTokens(text) },
      };
    } catch (error) {
      throw this.failure(error, deadlines);
    } finally {
      // Also runs when the consumer stops reading early: the upstream request is cancelled.
      deadlines.dispose();
    }
  }

  /**
   * Opens the stream and reads until its first text (or its end), inside the breaker. The SDK
   * builds, sends and retries the request and turns error statuses into its errors; the
   * event stream of a successful response is read here (`asResponse()`, SseEventReader) with
   * the SDK's rules (see `parts`), in fewer steps per token than the SDK's own stream.
   */
  private async open(request: LlmRequest, signal: AbortSignal): Promise<OpenedStream> {
    const response = await this.client.chat.completions
      .create(
        {
          model: this.model,
          messages: request.messages,
          stream: true,
          stream_options: { include_usage: true },
          // OpenAI's current name (the old max_tokens is refused by reasoning models); servers
          // that only know max_tokens ignore it and apply their own default.
          max_completion_tokens: request.maxOutputTokens,
        },
        { signal },
      )
      .asResponse();
    const parts = this.parts(response, signal);
    const head: Part[] = [];
    for (let next = await parts.next(); !next.done; next = await parts.next()) {
      head.push(next.value);
      if (next.value.text) break;
    }
    // A deadline that ran out before the first text is a provider failure the breaker must count.
    signal.throwIfAborted();
    return { parts, head };
  }

  /**
   * The chunks of the response's event stream, with the SDK's `Stream.fromSSEResponse` rules:
   * `data: [DONE]` ends it, an `error` event or a chunk carrying `error` is an APIError, data
   * that is not JSON a SyntaxError, and a transport abort (our signal) ends it quietly, as the
   * SDK's stream does (the caller then asks the deadlines what happened).
   */
  private async *parts(response: Response, signal: AbortSignal): AsyncGenerator<Part> {
    const body = nodeBodyOf(response);
    if (!body) throw new OpenAIError('Attempted to iterate over a response with no body');
    const events = new SseEventReader();
    let passedText = false;
    // Each step takes everything buffered since the last one (Readable's iterator reads it all).
    const chunks = body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    try {
      for (;;) {
        let read: IteratorResult<Buffer>;
        try {
          read = await chunks.next();
        } catch (error) {
          if (signal.aborted || (error instanceof Error && error.name === 'AbortError')) return;
          throw error;
        }
        if (read.done) return;
        // Everything one read brought is passed on as one part: its texts joined, the last
        // finish reason and usage. With many answers streaming, the event loop reads each
        // stream late and a read holds many deltas; one event for them instead of one each
        // spares the journal entry, the JSON and the generator steps per delta, and the client
        // sees the same text at the same moment (they left in one socket write already).
        let merged: Part | undefined;
        let ended = false;
        try {
          for (const sse of events.push(read.value)) {
            if (sse.data === '[DONE]') {
              ended = true;
              break;
            }
            merged = joinParts(merged, this.part(sse, response.headers));
          }
        } catch (error) {
          // What came before the failure in the same read is still passed on, as it was before.
          if (merged) yield merged;
          throw error;
        }
        if (merged) {
          passedText ||= merged.text !== '';
          yield merged;
        }
        if (ended) return;
        if (this.pacer && passedText && !signal.aborted) await this.pacer.next();
      }
    } finally {
      // Stopped before the end (complete, failed, or its reader left): the connection is let go.
      await chunks.return?.();
    }
  }

  /**
   * One event of the answer's stream as a Part, with the SDK's `Stream.fromSSEResponse` rules:
   * an `error` event or a chunk carrying `error` is an APIError, data that is not JSON a SyntaxError.
   */
  private part(sse: ServerSentEvent, headers: Headers): Part {
    let data: unknown;
    try {
      data = JSON.parse(sse.data);
    } catch {
      throw new SyntaxError('Error reading response: malformed server-sent event JSON.');
    }
    if (sse.event === 'error') throw new APIError(undefined, ((isRecord(data) ? data.error : undefined) ?? data) as object, undefined, headers);
    if (isRecord(data) && data.error) throw new APIError(undefined, data.error as object, undefined, headers);
    if (!isChunk(data)) throw llmErrors.badResponse(this.provider, 'a streamed chunk was not a chat completion chunk');
    const [choice] = data.choices;
    const usage = data.usage;
    return {
      text: choice?.delta?.content ?? '',
      finishReason: choice?.finish_reason ?? undefined,
      usage: usage ? { inputTokens: usage.prompt_tokens, outputTokens: usage.completion_tokens } : undefined,
    };
  }

  /** Maps whatever ended the stream to the port's errors; the cause goes to the log. */
  private failure(error: unknown, deadlines: StreamDeadlines): Error {
    const mapped = this.classify(error, deadlines);
    if (!isLlmAbort(mapped)) this.logger.warn(`${mapped instanceof AppException ? mapped.code : 'LLM failure'}: ${String(error)}`);
    return mapped;
  }

  private classify(error: unknown, deadlines: StreamDeadlines): Error {
    const provider = this.provider;
    if (deadlines.abortedByCaller) return new LlmAbortedError();
    if (deadlines.expired === 'first-token') return llmErrors.timeout(provider, `no answer within ${this.options.firstTokenTimeoutMs} ms`);
    if (deadlines.expired === 'total') return llmErrors.timeout(provider, `the answer took longer than ${this.options.totalTimeoutMs} ms`);
    if (error instanceof AppException) return error;
    if (isBreakerRejection(error)) return llmErrors.unavailable(provider, 'it kept failing, so calls are paused');
    if (error instanceof APIConnectionError) return llmErrors.unavailable(provider, 'cannot connect');
    if (error instanceof APIError && error.status !== undefined) {
      if (error.status === 429) return llmErrors.unavailable(provider, 'rate limited');
      if (error.status === 401 || error.status === 403) return llmErrors.unavailable(provider, 'credentials refused');
      return llmErrors.badResponse(provider, `upstream answered HTTP ${error.status}`);
    }
    // An error event inside the stream, or a data line that is not JSON.
    if (error instanceof OpenAIError || error instanceof SyntaxError) return llmErrors.badResponse(provider, 'malformed stream');
    return error instanceof Error ? error : new Error(String(error));
  }
}
