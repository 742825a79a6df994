/**
 * The one write of LLM usage: requests and their tokens added to each dealership's row for
 * today (UTC) and that model, as an atomic upsert, so concurrent answers on any pods add up
 * instead of overwriting each other. `rows` is SQL yielding `(dealership_id, model, requests,
 * input_tokens, output_tokens)`; rows without a model ("no model was asked") count nothing,
 * and rows of the same dealership and model are summed first (an upsert may touch a row only
 * once per statement), in key order so two pods' statements lock shared rows in the same
 * order. It is SQL text rather than a method because finishing chat answers runs it inside
 * their own single statement (the day's row, shared by every answer, stays locked only while
 * Postgres runs that statement); UsageService.record runs it alone.
 */
export function countUsageSql(rows: string): string {
  return `INSERT INTO llm_usage_daily (dealership_id, day, model, requests, input_tokens, output_tokens)
    SELECT dealership_id, (now() AT TIME ZONE 'UTC')::date, model, sum(requests), sum(input_tokens), sum(output_tokens)
      FROM (${rows}) AS usage (dealership_id, model, requests, input_tokens, output_tokens)
     WHERE model IS NOT NULL
     GROUP BY dealership_id, model
     ORDER BY dealership_id, model
    ON CONFLICT (dealership_id, day, model) DO UPDATE SET
      requests = llm_usage_daily.requests + EXCLUDED.requests,
      input_tokens = llm_usage_daily.input_tokens + EXCLUDED.input_tokens,
      output_tokens = llm_usage_daily.output_tokens + EXCLUDED.output_tokens`;
}

/** Token counts as stored: whole and never negative. */
export const tokenCount = (tokens: number): number => Math.max(0, Math.round(tokens));
