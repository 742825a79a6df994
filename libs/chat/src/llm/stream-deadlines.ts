/**
 * The time limits of one streamed answer, as one AbortSignal for the upstream request. It aborts
 * when the caller's signal aborts, when no text arrived within the first-token limit (counted from
 * the start, retries included: the user waits for the first word, not for one attempt), when the
 * whole answer overran the total limit, or on dispose (the consumer stopped reading).
 */
export class StreamDeadlines {
  /** Which limit ran out, if one did. */
  expired: 'first-token' | 'total' | undefined;
  private readonly controller = new AbortController();
  private readonly firstTokenTimer: NodeJS.Timeout;
  private readonly totalTimer: NodeJS.Timeout;
  private readonly onCallerAbort = () => this.controller.abort();

  constructor(
    private readonly callerSignal: AbortSignal,
    firstTokenTimeoutMs: number,
    totalTimeoutMs: number,
  ) {
    this.firstTokenTimer = setTimeout(() => this.expire('first-token'), firstTokenTimeoutMs);
    this.totalTimer = setTimeout(() => this.expire('total'), totalTimeoutMs);
    if (callerSignal.aborted) this.controller.abort();
    else callerSignal.addEventListener('abort', this.onCallerAbort, { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The caller's own signal aborted: the end is theirs, not a failure. */
  get abortedByCaller(): boolean {
    return this.callerSignal.aborted;
  }

  firstTokenArrived(): void {
    clearTimeout(this.firstTokenTimer);
  }

  /** Clears the timers and cancels the upstream request if it is still open. */
  dispose(): void {
    clearTimeout(this.firstTokenTimer);
    clearTimeout(this.totalTimer);
    this.callerSignal.removeEventListener('abort', this.onCallerAbort);
    this.controller.abort();
  }

  private expire(which: 'first-token' | 'total'): void {
    if (this.controller.signal.aborted) return;
    this.expired = which;
    this.controller.abort();
  }
}
