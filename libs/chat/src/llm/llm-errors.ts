import { HttpStatus } from '@nestjs/common';
import { AppException } from '@showroom/core';

/**
 * The errors an LlmPort fails with. Callers switch on AppException.code; an abort by the
 * caller's own signal is not a failure to report, so it has its own recognisable shape.
 */
export const llmErrors = {
  unavailable: (provider: string, why: string) =>
    new AppException(HttpStatus.SERVICE_UNAVAILABLE, 'PROVIDER_UNAVAILABLE', `The language model (${provider}) is not answering right now (${why}); try again shortly.`),
  timeout: (provider: string, why: string) =>
    new AppException(HttpStatus.GATEWAY_TIMEOUT, 'LLM_TIMEOUT', `The language model (${provider}) took too long: ${why}.`),
  badResponse: (provider: string, why: string) =>
    new AppException(HttpStatus.BAD_GATEWAY, 'LLM_BAD_RESPONSE', `The language model (${provider}) sent an unusable answer: ${why}.`),
};

/**
 * Thrown by stream() when request.signal aborted (the client went away). Named 'AbortError' like
 * fetch's own aborts, so `isLlmAbort` (or any `error.name === 'AbortError'` check) recognises it.
 */
export class LlmAbortedError extends Error {
  override readonly name = 'AbortError';
  constructor() {
    super('The LLM request was aborted by its caller.');
  }
}

export function isLlmAbort(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}
