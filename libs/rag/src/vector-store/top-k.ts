import type { VectorMatch } from './vector-store.port';

/**
 * Keeps the k best-scoring matches seen so far, in descending order. For the k of a search
 * (tens) a sorted insert beats a heap and avoids sorting all n scores.
 */
export class TopK {
  private readonly best: VectorMatch[] = [];

  constructor(private readonly k: number) {}

  /** The score a candidate must beat to enter; lets the caller skip building losers. */
  get threshold(): number {
    return this.best.length < this.k ? -Infinity : this.best[this.best.length - 1].score;
  }

  offer(id: string, score: number): void {
    if (this.k <= 0 || score <= this.threshold) return;
    let at = this.best.length;
    while (at > 0 && this.best[at - 1].score < score) at -= 1;
    this.best.splice(at, 0, { id, score });
    if (this.best.length > this.k) this.best.pop();
  }

  results(): VectorMatch[] {
    return [...this.best];
  }
}
