/**
 * Weighted reciprocal rank fusion (Cormack et al., 2009): each list contributes
 * weight / (k + rank) per item. Scores of different retrievers (cosine, BM25) are not
 * comparable; ranks are. k = 60 is the paper's constant, which damps the weight of any single
 * list's top spot.
 */
export function reciprocalRankFusion(lists: { ids: string[]; weight: number }[], k = 60): { id: string; score: number }[] {
  const scores = new Map<string, number>();
  for (const { ids, weight } of lists) {
    ids.forEach((id, rank) => scores.set(id, (scores.get(id) ?? 0) + weight / (k + rank + 1)));
  }
  return [...scores].map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
}
