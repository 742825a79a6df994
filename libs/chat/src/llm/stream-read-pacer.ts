import { performance, type EventLoopUtilization } from 'node:perf_hooks';

/** Above this share of busy time since the last tick the loop is saturated: read less often. */
const SATURATED = 0.9;
/** Below this share it has room again: step back towards the configured interval. */
const RELAXED = 0.6;

/**
 * One timer for every paced stream of the process: a stream that passed on text waits for the
 * next tick before reading again, so what arrives meanwhile is read, decoded and passed on
 * together (one delta, one socket write). With many answers streaming, reading every packet
 * as it came cost more CPU than anything else per token, CPU taken from answers still waiting
 * for their first token (BENCHMARKS.md, "chat under load").
 *
 * The tick follows the load: while the event loop was busy for more than 90% of the last
 * interval, the interval doubles (up to `maxMs`), and it halves back (down to `baseMs`) once the
 * loop is below 60% busy. A saturated process then spends its CPU on starting answers rather
 * than on reading the ones already flowing more often than it can write them out; a quiet one
 * reads every `baseMs`. The trade-off: a token after the first may reach the client up to the
 * current interval later; the first never waits.
 */
export class StreamReadPacer {
  private intervalMs: number;
  private tick: Promise<void> | undefined;
  private since: EventLoopUtilization = performance.eventLoopUtilization();

  constructor(
    private readonly baseMs: number,
    private readonly maxMs: number,
  ) {
    this.intervalMs = baseMs;
  }

  /** The current interval (ms). */
  get currentMs(): number {
    return this.intervalMs;
  }

  /** Resolves at the next tick, shared by every stream waiting now. */
  next(): Promise<void> {
    this.tick ??= new Promise<void>((resolve) =>
      setTimeout(() => {
        this.tick = undefined;
        this.adapt();
        resolve();
      }, this.intervalMs),
    );
    return this.tick;
  }

  private adapt(): void {
    const now = performance.eventLoopUtilization();
    const busy = performance.eventLoopUtilization(now, this.since).utilization;
    this.since = now;
    if (busy > SATURATED) this.intervalMs = Math.min(this.maxMs, this.intervalMs * 2);
    else if (busy < RELAXED) this.intervalMs = Math.max(this.baseMs, this.intervalMs / 2);
  }
}
