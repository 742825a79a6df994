/**
 * Reciprocal rank fusion (Cormack et al., 2009): each list contributes 1 / (k + rank) per
 * item. Scores of different retrievers (cosine, ts_rank) are not comparable; ranks are.
 * k = 60 is the paper's constant, which damps the weight of any single list's top spot.
 */
export function reciprocalRankFusion(lists: string[][], k = 60): { id: string; score: number }[] {
  const scores = new Map<string, number>();
  for (const list of lists) {
    list.forEach((id, rank) => scores.set(id, (scores.get(id) ?? 0) + 1 / (k + rank + 1)));
  }
  return [...scores].map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
}
