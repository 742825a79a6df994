import { countUsageSql } from '../usage/count-usage';

/**
 * Closes a batch of `streaming` answers in ONE statement (AnswerTurns.finish groups the
 * finishes that arrive while the previous batch is with Postgres): each message's final text,
 * citations, status and measurements; the day's LLM usage per dealership and model (one upsert
 * for the batch, so the row every answer of a dealership shares is locked once per batch, not
 * once per answer); the conversations' last-activity time. Only a `streaming` message is
 * finished, so finishing twice changes and counts nothing; the tokens of an answer whose
 * message is gone (its conversation was deleted mid-answer) are still counted, once. Every
 * part is scoped by each answer's own dealership.
 *
 * $1: a JSON array of FinishAnswerRow.
 */
export const FINISH_ANSWERS_SQL = `
  WITH answer AS (
    SELECT * FROM jsonb_to_recordset($1::jsonb) AS a(
      dealership_id uuid, id uuid, content text, citations jsonb, status text, error jsonb, model text,
      input_tokens int, output_tokens int, first_token_ms int, latency_ms int)),
  finished AS (
    UPDATE messages m SET content = a.content, citations = a.citations, status = a.status, error = a.error, model = a.model,
           input_tokens = a.input_tokens, output_tokens = a.output_tokens, first_token_ms = a.first_token_ms, latency_ms = a.latency_ms
      FROM answer a
     WHERE m.id = a.id AND m.dealership_id = a.dealership_id AND m.role = 'assistant' AND m.status = 'streaming'
     RETURNING m.id, m.dealership_id, m.conversation_id, m.role, m.content, m.citations, m.status, m.created_at),
  counted AS (${countUsageSql(`
    SELECT a.dealership_id, a.model, 1, a.input_tokens, a.output_tokens FROM answer a
     WHERE a.id IN (SELECT id FROM finished)
        OR NOT EXISTS (SELECT 1 FROM messages m WHERE m.id = a.id AND m.dealership_id = a.dealership_id)`)}),
  touched AS (
    UPDATE conversations c SET updated_at = now()
      FROM (SELECT DISTINCT conversation_id, dealership_id FROM finished) f
     WHERE c.id = f.conversation_id AND c.dealership_id = f.dealership_id)
  SELECT id, role, content, citations, status, created_at FROM finished`;

/** One answer of the batch, as FINISH_ANSWERS_SQL reads it. */
export interface FinishAnswerRow {
  dealership_id: string;
  id: string;
  content: string;
  citations: unknown[];
  status: 'complete' | 'interrupted' | 'failed';
  error: unknown;
  /** Null when no model was asked: nothing is counted. */
  model: string | null;
  input_tokens: number;
  output_tokens: number;
  first_token_ms: number | null;
  latency_ms: number | null;
}
