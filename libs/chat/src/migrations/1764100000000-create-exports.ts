import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateExports1764100000000 implements MigrationInterface {
  name = 'CreateExports1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE file_exports (
        id uuid PRIMARY KEY,
        dealership_id uuid NOT NULL REFERENCES dealerships(id) ON DELETE CASCADE,
        requested_by uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('conversation', 'usage', 'knowledge-gaps', 'feedback')),
        format text NOT NULL CHECK (format IN ('pdf', 'docx', 'csv')),
        -- no foreign key: deleting a conversation must not delete the row before the sweep has
        -- deleted the file (the sweep expires exports whose conversation is gone)
        conversation_id uuid,
        range_from date,
        range_to date,
        status text NOT NULL CHECK (status IN ('queued', 'processing', 'ready', 'failed', 'expired')),
        progress int NOT NULL DEFAULT 0,
        file_name text,
        content_type text,
        size_bytes bigint,
        -- the file's blob id (the export's own id, so a re-run overwrites instead of adding)
        blob_id uuid,
        error text,
        -- set at request (bounds queued and failed rows too), moved to ready + TTL when ready
        expires_at timestamptz NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz,
        CHECK ((kind = 'conversation') = (conversation_id IS NOT NULL)),
        CHECK ((kind = 'conversation') OR (range_from IS NOT NULL AND range_to IS NOT NULL))
      )`);
    // "My exports" and "every export of the dealership" (owners and admins), newest first.
    await q.query(`CREATE INDEX file_exports_requester_created_idx ON file_exports (dealership_id, requested_by, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX file_exports_dealership_created_idx ON file_exports (dealership_id, created_at DESC, id DESC)`);
    // The expiry sweep reads only rows that still hold (or may still get) a file.
    await q.query(`CREATE INDEX file_exports_expiry_idx ON file_exports (expires_at) WHERE status <> 'expired'`);
    await q.query(`CREATE INDEX file_exports_conversation_idx ON file_exports (conversation_id) WHERE conversation_id IS NOT NULL AND status <> 'expired'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE file_exports`);
  }
}
