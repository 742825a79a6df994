import { Logger } from '@nestjs/common';
import CircuitBreaker from 'opossum';

export interface StreamBreakerOptions {
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
 * A circuit breaker for one streaming provider. core's providerBreaker wraps a whole call as one
 * promise; a stream has no such promise, and the caller going away must not count against the
 * provider. So this guards the opening of a stream (until its first text), and `ignore` tells
 * opossum which failures are the caller's (abort) or the request's own, not the provider's.
 * Errors in mid-stream are not counted: by then the provider has proved it answers.
 */
export class StreamBreaker {
  private readonly breaker: CircuitBreaker<[() => Promise<unknown>], unknown>;
  // Failures `ignore` excused; opossum's errorFilter then counts them as successes.
  private readonly excused = new WeakSet<object>();

  constructor(
    provider: string,
    private readonly ignore: (error: unknown, callerSignal: AbortSignal) => boolean,
    options: StreamBreakerOptions = {},
  ) {
    const logger = new Logger(`Breaker:${provider}`);
    this.breaker = new CircuitBreaker((open: () => Promise<unknown>) => open(), {
      timeout: false, // the stream's own deadlines apply
      errorThresholdPercentage: options.errorThresholdPercentage ?? 50,
      volumeThreshold: options.volumeThreshold ?? 5,
      resetTimeout: options.resetTimeoutMs ?? 30_000,
      errorFilter: (error: unknown) => typeof error === 'object' && error !== null && this.excused.has(error),
    });
    this.breaker.on('open', () => logger.warn(`${provider} keeps failing: circuit open`));
    this.breaker.on('close', () => logger.log(`${provider} answers again: circuit closed`));
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
