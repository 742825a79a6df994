import type { HttpStatus } from '@nestjs/common';
import { AppException, isBreakerRejection, providerBreaker, type ProviderBreakerOptions } from '@showroom/core';
import { voiceErrors } from './voice-errors';

export interface CallLimits {
  firstByteTimeoutMs: number;
  timeoutMs: number;
  breaker?: ProviderBreakerOptions;
}

/** What a failed call says about the provider: `caller` failures (a refused request, the caller leaving) do not trip the breaker. */
export type Blame = 'caller' | 'provider';

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** The caller's signal and the call's own deadlines, as one signal, with the reason recorded. */
export class CallDeadlines {
  private readonly controller = new AbortController();
  expired: 'first-byte' | 'total' | undefined;
  private firstByteTimer: NodeJS.Timeout | undefined;
  private readonly totalTimer: NodeJS.Timeout;
  private readonly onCallerAbort = () => this.controller.abort(this.caller?.reason);

  constructor(private readonly caller: AbortSignal | undefined, limits: CallLimits) {
    this.firstByteTimer = setTimeout(() => this.expire('first-byte'), limits.firstByteTimeoutMs);
    this.totalTimer = setTimeout(() => this.expire('total'), limits.timeoutMs);
    caller?.addEventListener('abort', this.onCallerAbort, { once: true });
    if (caller?.aborted) this.onCallerAbort();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get abortedByCaller(): boolean {
    return this.caller?.aborted === true && this.expired === undefined;
  }

  firstByteArrived(): void {
    clearTimeout(this.firstByteTimer);
    this.firstByteTimer = undefined;
  }

  dispose(): void {
    clearTimeout(this.firstByteTimer);
    clearTimeout(this.totalTimer);
    this.caller?.removeEventListener('abort', this.onCallerAbort);
  }

  private expire(which: 'first-byte' | 'total'): void {
    if (this.controller.signal.aborted) return;
    this.expired = which;
    this.controller.abort(new Error(`voice ${which} deadline`));
  }
}

/** The caller went away (client disconnected, turn interrupted): 499, never logged as a failure. */
export class VoiceCallAborted extends AppException {
  constructor() {
    super(499 as HttpStatus, 'REQUEST_ABORTED', 'The caller went away before the voice call finished.');
  }
}

/**
 * One hosted provider's calls behind a circuit breaker (core's providerBreaker). Only
 * provider failures count against it: a failure `blame` assigns to the caller travels through
 * the breaker as a value, so a burst of bad uploads cannot open the circuit for everyone.
 */
export class GuardedProvider {
  private readonly guarded: <T>(attempt: () => Promise<Outcome<T>>) => Promise<Outcome<T>>;

  constructor(
    readonly provider: string,
    private readonly blame: (error: unknown) => Blame,
    private readonly map: (error: unknown) => Error,
    options?: ProviderBreakerOptions,
  ) {
    const breaker = providerBreaker(provider, (attempt: () => Promise<Outcome<unknown>>) => attempt(), options);
    this.guarded = breaker as <T>(attempt: () => Promise<Outcome<T>>) => Promise<Outcome<T>>;
  }

  /** Runs `call` with deadlines; maps every failure to the voice errors (or VoiceCallAborted). */
  async call<T>(callerSignal: AbortSignal | undefined, limits: CallLimits, call: (signal: AbortSignal, deadlines: CallDeadlines) => Promise<T>): Promise<T> {
    const deadlines = new CallDeadlines(callerSignal, limits);
    try {
      return await this.open(deadlines, (signal) => call(signal, deadlines));
    } finally {
      deadlines.dispose();
    }
  }

  /**
   * Streams from `open` (which resolves to the provider's chunks): opening and the first chunk
   * run inside the breaker and the first-byte deadline; once a chunk has reached the caller a
   * failure ends the stream and is never retried (the listener would hear words twice).
   */
  async *stream(callerSignal: AbortSignal | undefined, limits: CallLimits, open: (signal: AbortSignal) => Promise<AsyncIterable<Uint8Array>>): AsyncGenerator<Buffer> {
    const deadlines = new CallDeadlines(callerSignal, limits);
    let iterator: AsyncIterator<Uint8Array> | undefined;
    try {
      const first = await this.open(deadlines, async (signal) => {
        iterator = (await open(signal))[Symbol.asyncIterator]();
        for (;;) {
          const next = await iterator.next();
          if (next.done) throw voiceErrors.badResponse(this.provider, 'no audio came back');
          if (next.value.length > 0) return Buffer.from(next.value);
        }
      });
      deadlines.firstByteArrived();
      yield first;
      for (let next = await iterator!.next(); !next.done; next = await iterator!.next()) {
        if (next.value.length > 0) yield Buffer.from(next.value);
      }
      deadlines.signal.throwIfAborted();
    } catch (error) {
      throw this.failure(error, deadlines);
    } finally {
      deadlines.dispose();
      // Stops the upstream when the consumer leaves early.
      await iterator?.return?.().catch(() => undefined);
    }
  }

  private async open<T>(deadlines: CallDeadlines, attempt: (signal: AbortSignal) => Promise<T>): Promise<T> {
    let outcome: Outcome<T>;
    try {
      outcome = await this.guarded(async () => {
        try {
          const value = await attempt(deadlines.signal);
          deadlines.signal.throwIfAborted();
          return { ok: true, value };
        } catch (error) {
          if (deadlines.abortedByCaller || this.blame(error) === 'caller') return { ok: false, error };
          throw error;
        }
      });
    } catch (error) {
      throw this.failure(error, deadlines);
    }
    if (!outcome.ok) throw this.failure(outcome.error, deadlines);
    return outcome.value;
  }

  private failure(error: unknown, deadlines: CallDeadlines): Error {
    if (deadlines.abortedByCaller) return new VoiceCallAborted();
    if (deadlines.expired === 'first-byte') return voiceErrors.timeout(this.provider, 'nothing came back in time');
    if (deadlines.expired === 'total') return voiceErrors.timeout(this.provider, 'the call took too long');
    if (error instanceof AppException) return error;
    if (isBreakerRejection(error)) return voiceErrors.unavailable(this.provider, 'it kept failing, so calls are paused');
    return this.map(error);
  }
}
