import type { UsageLine } from '../api/types';

export interface UsageDay {
  day: string;
  /** Requests per model, keyed by model name. */
  [model: string]: number | string | null;
  cost: number | null;
}

/** One row per day for the chart: requests per model as stacked bars, the day's cost as a line. */
export function usageByDay(items: UsageLine[]): { days: UsageDay[]; models: string[] } {
  const models = [...new Set(items.map((i) => i.model))].sort();
  const byDay = new Map<string, UsageDay>();
  for (const item of items) {
    const day = byDay.get(item.day) ?? { day: item.day, cost: null };
    day[item.model] = ((day[item.model] as number | undefined) ?? 0) + item.requests;
    if (item.estimatedCostUsd !== null) day.cost = (day.cost ?? 0) + item.estimatedCostUsd;
    byDay.set(item.day, day);
  }
  return { days: [...byDay.values()].sort((a, b) => a.day.localeCompare(b.day)), models };
}
