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

/**
 * A circuit breaker (opossum) around calls to one hosted provider. While the provider keeps
 * failing, calls fail at once with 503 PROVIDER_UNAVAILABLE instead of each waiting out its
 * timeout and retries; after `resetTimeoutMs` one call is tried again. Timeouts and retries
 * themselves belong to the provider's SDK (configured from PROVIDER_TIMEOUT_MS/_MAX_RETRIES).
 */
export function providerBreaker<Args extends unknown[], Result>(
  provider: string,
  call: (...args: Args) => Promise<Result>,
  options: ProviderBreakerOptions = {},
): (...args: Args) => Promise<Result> {
  const logger = new Logger(`Breaker:${provider}`);
  const breaker = new CircuitBreaker(call, {
    timeout: false,
    errorThresholdPercentage: options.errorThresholdPercentage ?? 50,
    volumeThreshold: options.volumeThreshold ?? 5,
    resetTimeout: options.resetTimeoutMs ?? 30_000,
  });
  breaker.on('open', () => logger.warn(`${provider} keeps failing: circuit open`));
  breaker.on('close', () => logger.log(`${provider} answers again: circuit closed`));
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
