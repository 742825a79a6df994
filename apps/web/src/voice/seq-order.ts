/**
 * Hands items on in `seq` order from 0 without gaps, holding any that arrive early: the
 * gateway sends a turn's `voice.audio` frames in order, but playback must never depend on it.
 */
export class SeqOrder<T> {
  private next = 0;
  private held = new Map<number, T>();

  constructor(private readonly deliver: (item: T) => void) {}

  push(seq: number, item: T): void {
    if (seq < this.next) return;
    this.held.set(seq, item);
    while (this.held.has(this.next)) {
      const ready = this.held.get(this.next)!;
      this.held.delete(this.next);
      this.next += 1;
      this.deliver(ready);
    }
  }
}
