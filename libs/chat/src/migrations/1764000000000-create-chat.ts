import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateChat1764000000000 implements MigrationInterface {
  name = 'CreateChat1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE conversations (
        id uuid PRIMARY KEY,
        dealership_id uuid NOT NULL REFERENCES dealerships(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        -- null until the caller names it or the first user message does
        title text,
        -- millisecond precision: list cursors carry JS Dates and must compare exactly
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        -- last activity: bumped by every message written
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // "My conversations" (the default list) and "every conversation of the dealership" (admins).
    await q.query(`CREATE INDEX conversations_owner_created_idx ON conversations (dealership_id, user_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX conversations_dealership_created_idx ON conversations (dealership_id, created_at DESC, id DESC)`);

    await q.query(`
      CREATE TABLE messages (
        id uuid PRIMARY KEY,
        dealership_id uuid NOT NULL REFERENCES dealerships(id) ON DELETE CASCADE,
        conversation_id uuid NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        -- the order of a conversation: a question and its answer are often written in the
        -- same millisecond, so neither created_at nor the random id can order them
        seq bigint GENERATED ALWAYS AS IDENTITY,
        role text NOT NULL CHECK (role IN ('user', 'assistant')),
        content text NOT NULL,
        citations jsonb NOT NULL DEFAULT '[]',
        status text NOT NULL CHECK (status IN ('complete', 'streaming', 'interrupted', 'failed')),
        error jsonb,
        model text,
        input_tokens int NOT NULL DEFAULT 0,
        output_tokens int NOT NULL DEFAULT 0,
        first_token_ms int,
        latency_ms int,
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX messages_conversation_seq_idx ON messages (conversation_id, seq)`);
    // Few rows are ever streaming; the abandoned-answer sweep finds them without a scan.
    await q.query(`CREATE INDEX messages_streaming_idx ON messages (created_at) WHERE status = 'streaming'`);

    await q.query(`
      CREATE TABLE message_feedback (
        id uuid PRIMARY KEY,
        dealership_id uuid NOT NULL REFERENCES dealerships(id) ON DELETE CASCADE,
        message_id uuid NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        rating text NOT NULL CHECK (rating IN ('up', 'down')),
        comment text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        -- one opinion per person per answer; changing it is an upsert on this key
        UNIQUE (message_id, user_id)
      )`);
    // Quality review reads a dealership's thumbs-down, newest first.
    await q.query(`CREATE INDEX message_feedback_dealership_idx ON message_feedback (dealership_id, rating, updated_at DESC)`);

    await q.query(`
      CREATE TABLE llm_usage_daily (
        dealership_id uuid NOT NULL REFERENCES dealerships(id) ON DELETE CASCADE,
        -- the UTC day the answer finished
        day date NOT NULL,
        model text NOT NULL,
        requests int NOT NULL DEFAULT 0,
        input_tokens bigint NOT NULL DEFAULT 0,
        output_tokens bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (dealership_id, day, model)
      )`);

    await q.query(`
      CREATE TABLE assistant_settings (
        dealership_id uuid PRIMARY KEY REFERENCES dealerships(id) ON DELETE CASCADE,
        system_prompt text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by uuid REFERENCES users(id) ON DELETE SET NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE assistant_settings, llm_usage_daily, message_feedback, messages, conversations`);
  }
}
