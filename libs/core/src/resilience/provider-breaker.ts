import { HttpStatus, Logger } from '@nestjs/common';
import CircuitBreaker from 'opossum';
import { AppException } from '../errors/app.exception';

export interface ProviderBreakerOptions {
  /** Failures (percent of calls in the rolling window) that open the circuit. */
  errorThresholdPercentage?: number;
  /** Calls in the window before the percentage counts, so one early failure does not open it. */
  volumeThreshold?: number;
  /** How long the circuit stays open before one trial call is let through. */
  resetTimeoutMs?: number;
}

/** Opossum's rejections while the circuit is open (or half-open with its one trial in flight). */
const SHED_CODES = new Set(['EOPENBREAKER', 'ESEMLOCKED']);

export function isBreakerRejection(error: unknown): boolean {
  return SHED_CODES.has((error as { code?: string } | undefined)?.code ?? '');
}

/**
 * The one place an opossum circuit breaker is made for a hosted provider: the same defaults
 * and the same log lines for every provider, whether its calls are promises (providerBreaker)
 * or streams (StreamBreaker). `excused` tells opossum which failures are not the provider's.
 */
function breakerFor<Args extends unknown[], Result>(
  provider: string,
  call: (...args: Args) => Promise<Result>,
  options: ProviderBreakerOptions,
  excused?: (error: unknown) => boolean,
): CircuitBreaker<Args, Result> {
  const logger = new Logger(`Breaker:${provider}`);
  const breaker = new CircuitBreaker(call, {
    timeout: false, // the SDK's timeouts (or the stream's own deadlines) apply
    errorThresholdPercentage: options.errorThresholdPercentage ?? 50,
    volumeThreshold: options.volumeThreshold ?? 5,
    resetTimeout: options.resetTimeoutMs ?? 30_000,
    ...(excused ? { errorFilter: excused } : {}),
  });
  breaker.on('open', () => logger.warn(`${provider} keeps failing: circuit open`));
  breaker.on('close', () => logger.log(`${provider} answers again: circuit closed`));
  return breaker;
}

/**
 * A circuit breaker around calls to one hosted provider. While the provider keeps failing,
 * calls fail at once with 503 PROVIDER_UNAVAILABLE instead of each waiting out its timeout and
 * retries; after `resetTimeoutMs` one call is tried again. Timeouts and retries themselves
 * belong to the provider's SDK (configured from PROVIDER_TIMEOUT_MS/_MAX_RETRIES).
 */
export function providerBreaker<Args extends unknown[], Result>(
  provider: string,
  call: (...args: Args) => Promise<Result>,
  options: ProviderBreakerOptions = {},
): (...args: Args) => Promise<Result> {
  const breaker = breakerFor(provider, call, options);
  return async (...args: Args) => {
    try {
      return await breaker.fire(...args);
    } catch (error) {
      if (breaker.opened && (error as { code?: string }).code === 'EOPENBREAKER') {
        throw new AppException(HttpStatus.SERVICE_UNAVAILABLE, 'PROVIDER_UNAVAILABLE', `${provider} is not answering right now; try again shortly.`);
      }
      throw error;
    }
  };
}

/**
 * A circuit breaker for one streaming provider. A stream has no one promise for the whole
 * call, and the caller going away must not count against the provider. So this guards the
 * opening of a stream (until its first text), and `ignore` says which failures are the
 * caller's (abort) or the request's own, not the provider's. Errors in mid-stream are not
 * counted: by then the provider has proved it answers. The caller maps a shed call
 * (isBreakerRejection) to its own error.
 */
export class StreamBreaker {
  private readonly breaker: CircuitBreaker<[() => Promise<unknown>], unknown>;
  // Failures `ignore` excused; opossum's errorFilter then counts them as successes.
  private readonly excused = new WeakSet<object>();

  constructor(
    provider: string,
    private readonly ignore: (error: unknown, callerSignal: AbortSignal) => boolean,
    options: ProviderBreakerOptions = {},
  ) {
    this.breaker = breakerFor(
      provider,
      (open: () => Promise<unknown>) => open(),
      options,
      (error) => typeof error === 'object' && error !== null && this.excused.has(error),
    );
  }

  /** Runs `open` unless the circuit is open; rejections from a shed call satisfy isBreakerRejection. */
  fire<T>(open: () => Promise<T>, callerSignal: AbortSignal): Promise<T> {
    return this.breaker.fire(() =>
      open().catch((error: unknown) => {
        if (typeof error === 'object' && error !== null && this.ignore(error, callerSignal)) this.excused.add(error);
        throw error;
      }),
    ) as Promise<T>;
  }
}
