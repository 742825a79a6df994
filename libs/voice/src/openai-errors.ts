import OpenAI, { APIConnectionError, APIError } from 'openai';
import type { Blame } from './provider-call';
import { voiceErrors } from './voice-errors';

/** One OpenAI-compatible audio client (speech and transcriptions share base URL and key). */
export function openAiAudioClient(options: { apiKey: string; baseUrl: string; maxRetries: number; timeoutMs: number }): OpenAI {
  return new OpenAI({
    apiKey: options.apiKey,
    baseURL: options.baseUrl,
    // The SDK retries (backoff, jitter, Retry-After) only before a response arrives: before the first byte.
    maxRetries: options.maxRetries,
    timeout: options.timeoutMs,
    logLevel: 'off',
  });
}

/** A status the provider gave because of what we sent (the audio, the text, the voice) says nothing about its health. */
export function openAiBlame(error: unknown): Blame {
  return error instanceof APIError && error.status !== undefined && [400, 404, 413, 415, 422].includes(error.status) ? 'caller' : 'provider';
}

export function openAiFailure(provider: string) {
  return (error: unknown): Error => {
    if (error instanceof APIConnectionError) return voiceErrors.unavailable(provider, 'cannot connect');
    if (error instanceof APIError && error.status !== undefined) {
      if (error.status === 429) return voiceErrors.unavailable(provider, 'rate limited');
      if (error.status === 401 || error.status === 403) return voiceErrors.unavailable(provider, 'credentials refused');
      if (openAiBlame(error) === 'caller') return voiceErrors.rejected(provider, providerMessage(error));
      return voiceErrors.badResponse(provider, `upstream answered HTTP ${error.status}`);
    }
    return error instanceof Error ? error : new Error(String(error));
  };
}

function providerMessage(error: APIError): string {
  const message = (error.error as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' ? message.slice(0, 300) : `HTTP ${error.status}`;
}
