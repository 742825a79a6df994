/**
 * Opens an answer turn in ONE statement (one pooled connection, one round trip; it was nine,
 * holding a connection across event-loop turns for the transaction, which queued 1,000
 * concurrent answers on the pool): bumps the conversation the caller may see (the UPDATE
 * takes its row lock, so a concurrent delete either wins, and nothing is inserted, or waits),
 * stores the question and the empty `streaming` answer in that order (one INSERT, rows in
 * `ord` order, so the identity `seq` puts the question first), and reads what the answer needs:
 * the recent complete history (the statement's snapshot, so without the new question) and the
 * dealership's own system prompt. Every part is scoped by `dealership_id = $1`.
 *
 * $1 dealership, $2 conversation, $3 caller's user id, $4 caller sees every conversation of the
 * dealership, $5 default title, $6 question, $7 history limit, $8 created_at, $9 question id,
 * $10 answer id.
 */
export const OPEN_TURN_SQL = `
  WITH conversation AS (
    UPDATE conversations SET updated_at = now(), title = coalesce(title, $5)
     WHERE id = $2 AND dealership_id = $1 AND (user_id = $3 OR $4::boolean)
     RETURNING id),
  opened AS (
    INSERT INTO messages (id, dealership_id, conversation_id, role, content, citations, status, created_at)
    SELECT m.id, $1, conversation.id, m.role, m.content, '[]'::jsonb, m.status, $8
      FROM conversation
     CROSS JOIN (VALUES (1, $9::uuid, 'user', $6::text, 'complete'), (2, $10::uuid, 'assistant', '', 'streaming')) AS m(ord, id, role, content, status)
     ORDER BY m.ord
    RETURNING id, role, content, status, created_at),
  history AS (
    SELECT id, role, content, created_at, seq FROM messages
     WHERE conversation_id = $2 AND dealership_id = $1 AND status = 'complete' AND EXISTS (SELECT 1 FROM conversation)
     ORDER BY seq DESC LIMIT $7)
  SELECT 'opened' AS part, id, role, content, status, created_at, NULL::bigint AS seq FROM opened
  UNION ALL
  SELECT 'history', id, role, content, 'complete', created_at, seq FROM history
  UNION ALL
  SELECT 'prompt', NULL, NULL, system_prompt, NULL, NULL, NULL FROM assistant_settings
   WHERE dealership_id = $1 AND EXISTS (SELECT 1 FROM conversation)`;

export interface OpenTurnRow {
  part: 'opened' | 'history' | 'prompt';
  id: string | null;
  role: 'user' | 'assistant' | null;
  content: string;
  status: 'complete' | 'streaming' | null;
  created_at: Date | null;
  seq: string | null;
}
