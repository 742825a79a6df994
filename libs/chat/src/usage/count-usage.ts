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
 * The one write of LLM usage: one request and its tokens added to the dealership's row for
 * today (UTC) and that model, as an atomic upsert, so concurrent answers on any pods add up
 * instead of overwriting each other. It is SQL text rather than a method because finishing a
 * chat answer runs it inside its own single statement (the day's row, shared by every answer,
 * stays locked only while Postgres runs that statement); UsageService.record runs it alone.
 */
export function countUsageSql(p: UsagePlaceholders): string {
  return `INSERT INTO llm_usage_daily (dealership_id, day, model, requests, input_tokens, output_tokens)
    SELECT ${p.dealershipId}, (now() AT TIME ZONE 'UTC')::date, ${p.model}, 1, ${p.inputTokens}, ${p.outputTokens} WHERE ${p.model}::text IS NOT NULL${p.when ? ` AND (${p.when})` : ''}
    ON CONFLICT (dealership_id, day, model) DO UPDATE SET
      requests = llm_usage_daily.requests + 1,
      input_tokens = llm_usage_daily.input_tokens + EXCLUDED.input_tokens,
      output_tokens = llm_usage_daily.output_tokens + EXCLUDED.output_tokens`;
}

/** Token counts as stored: whole and never negative. */
export const tokenCount = (tokens: number): number => Math.max(0, Math.round(tokens));
