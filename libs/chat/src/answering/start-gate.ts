/**
 * First come, first served for the CPU- and database-heavy start of answers (storing the turn,
 * retrieval, the prompt; the slot is freed when the model is asked, not when it answers, so a
 * slow model never holds it). Without it, a burst of 1,000 answers
 * starts all at once and the event loop shares itself between them, so every answer reaches
 * its first token late (the whole burst's work, p50 7-10 s in BENCHMARKS.md) and the pool's
 * waiters time out; with at most `limit` starting at once and the rest waiting in arrival
 * order, the first answers stream while later ones wait their turn.
 *
 * p-limit (already in node_modules) queues calls of a function; a slot here is held from
 * admission until a point inside the answer's stream, so this keeps the acquire/release pair
 * in the open.
 */
export class StartGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  /** Resolves when a slot is free, in arrival order; call the returned function once to free it. */
  async enter(): Promise<() => void> {
    if (this.running < this.limit) this.running += 1;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    let left = false;
    return () => {
      if (left) return;
      left = true;
      const next = this.waiting.shift();
      // The slot passes straight to the next in line, so `running` stays as it is.
      if (next) next();
      else this.running -= 1;
    };
  }
}
