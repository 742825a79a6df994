import type { AppConfig } from '@showroom/core';

type PriceTable = AppConfig['llm']['prices'];

/**
 * USD for the tokens at the configured per-million prices, rounded to a millionth of a
 * dollar. Null when the model has no price: an unknown cost is not a zero cost.
 */
export function estimateCostUsd(prices: PriceTable, model: string, inputTokens: number, outputTokens: number): number | null {
  const price = prices[model];
  if (!price) return null;
  return roundUsd((inputTokens * price.input + outputTokens * price.output) / 1_000_000);
}

export function roundUsd(value: number): number {
  return Math.round(value * 1_000_000) / 1_000_000;
}
