import { Logger } from '@nestjs/common';
import { AppException, type ProviderBreakerOptions, StreamBreaker, isBreakerRejection } from '@showroom/core';
import OpenAI, { APIConnectionError, APIError, OpenAIError } from 'openai';
import { z } from 'zod';
import { isLlmAbort, LlmAbortedError, llmErrors } from './llm-errors';
import type { LlmEvent, LlmPort, LlmRequest } from './llm.port';
import { StreamDeadlines } from './stream-deadlines';
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
}

/**
 * The parts of a chat.completion.chunk we use. Checked on every chunk, so a proxy sending
 * something else mid-stream is LLM_BAD_RESPONSE rather than an answer silently missing words.
 */
const chunkSchema = z.object({
  choices: z.array(
    z.object({
      delta: z.object({ content: z.string().nullish() }).nullish(),
      finish_reason: z.string().nullish(),
    }),
  ),
  usage: z.object({ prompt_tokens: z.number().int().nonnegative(), completion_tokens: z.number().int().nonnegative() }).nullish(),
});

interface Part {
  text: string;
  finishReason?: string;
  usage?: { inputTokens: number; outputTokens: number };
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

  constructor(private readonly options: OpenAiChatLlmOptions) {
    this.model = options.model;
    this.client = new OpenAI({
      apiKey: options.apiKey,
      baseURL: options.baseUrl,
      maxRetries: options.maxRetries,
      // Only a backstop: StreamDeadlines enforces the real limits.
      timeout: options.totalTimeoutMs,
      // The SDK would write to the console, outside our JSON logs; failures are logged below with their cause.
      logLevel: 'off',
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

  /** Opens the stream and reads until its first text (or its end), inside the breaker. */
  private async open(request: LlmRequest, signal: AbortSignal): Promise<OpenedStream> {
    const stream = await this.client.chat.completions.create(
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
    );
    const parts = this.parts(stream);
    const head: Part[] = [];
    for (let next = await parts.next(); !next.done; next = await parts.next()) {
      head.push(next.value);
      if (next.value.text) break;
    }
    // A deadline that ran out before the first text is a provider failure the breaker must count.
    signal.throwIfAborted();
    return { parts, head };
  }

  private async *parts(stream: AsyncIterable<unknown>): AsyncGenerator<Part> {
    for await (const raw of stream) {
      const chunk = chunkSchema.safeParse(raw);
      if (!chunk.success) throw llmErrors.badResponse(this.provider, 'a streamed chunk was not a chat completion chunk');
      const [choice] = chunk.data.choices;
      const usage = chunk.data.usage;
      yield {
        text: choice?.delta?.content ?? '',
        finishReason: choice?.finish_reason ?? undefined,
        usage: usage ? { inputTokens: usage.prompt_tokens, outputTokens: usage.completion_tokens } : undefined,
      };
    }
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
