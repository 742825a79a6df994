/**
 * Group commit: writes submitted while an earlier batch is with the database wait and go
 * together as the next batch (one statement, one round trip), the way Postgres groups WAL
 * flushes. A write submitted while nothing is in flight goes at once, so a quiet process adds
 * no delay; under load the batches grow by themselves, with the database's own speed as the
 * window. Used where many requests end with the same kind of small write (an answer's finish,
 * which also adds to one shared usage row per dealership and model: one statement per batch
 * takes that row's lock once instead of once per answer).
 *
 * When a batch of several fails, each of its writes is tried again alone, so one bad write
 * (a value the database refuses) fails only its own caller, never its neighbours'.
 */
export class GroupCommit<I, O> {
  private pending: { item: I; resolve: (value: O) => void; reject: (error: unknown) => void }[] = [];
  private flushing = false;

  constructor(
    /** Writes a batch; returns one result per item, in the items' order. */
    private readonly write: (items: I[]) => Promise<O[]>,
    private readonly maxBatch = 100,
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0, this.maxBatch);
        try {
          const results = await this.write(batch.map((entry) => entry.item));
          batch.forEach((entry, i) => entry.resolve(results[i]));
        } catch (error) {
          if (batch.length === 1) batch[0].reject(error);
          else await Promise.all(batch.map((entry) => this.write([entry.item]).then(([result]) => entry.resolve(result), entry.reject)));
        }
      }
    } finally {
      this.flushing = false;
    }
  }
}
