/** The `$n` placeholders that carry the usage values in the caller's statement. */
export interface UsagePlaceholders {
  dealershipId: string;
  /** Null for "no model was asked": then nothing is counted. */
  model: string;
  inputTokens: string;
  outputTokens: string;
  /** A further SQL condition for counting at all (default: always, when a model was asked). */
  when?: string;
}

/**
 * Rows each dealership's usage of a day and model is spread over. Every finish adds to one at
 * random, so concurrent finishes rarely wait on each other's row lock (held until commit, WAL
 * flush included); readers sum the shards (UsageService.report).
 */
export const USAGE_SHARDS = 16;

/**
 * The one write of LLM usage: one request and its tokens added to the dealership's row for
 * today (UTC) and that model (one of its USAGE_SHARDS rows), as an atomic upsert, so
 * concurrent answers on any pods add up instead of overwriting each other. It is SQL text
 * rather than a method because finishing a chat answer runs it inside its own single statement;
 * UsageService.record runs it alone.
 */
export function countUsageSql(p: UsagePlaceholders): string {
  return `INSERT INTO llm_usage_daily (dealership_id, day, model, shard, requests, input_tokens, output_tokens)
    SELECT ${p.dealershipId}, (now() AT TIME ZONE 'UTC')::date, ${p.model}, floor(random() * ${USAGE_SHARDS})::smallint, 1, ${p.inputTokens}, ${p.outputTokens} WHERE ${p.model}::text IS NOT NULL${p.when ? ` AND (${p.when})` : ''}
    ON CONFLICT (dealership_id, day, model, shard) DO UPDATE SET
      requests = llm_usage_daily.requests + 1,
      input_tokens = llm_usage_daily.input_tokens + EXCLUDED.input_tokens,
      output_tokens = llm_usage_daily.output_tokens + EXCLUDED.output_tokens`;
}

/** Token counts as stored: whole and never negative. */
export const tokenCount = (tokens: number): number => Math.max(0, Math.round(tokens));
