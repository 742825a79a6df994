import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateOutbox1763785000000 implements MigrationInterface {
  name = 'CreateOutbox1763785000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE outbox_messages (
        id uuid PRIMARY KEY,
        queue text NOT NULL,
        job_name text NOT NULL,
        payload jsonb NOT NULL,
        job_options jsonb NOT NULL DEFAULT '{}'::jsonb,
        request_id text,
        created_at timestamptz NOT NULL DEFAULT now(),
        available_at timestamptz NOT NULL DEFAULT now(),
        dispatched_at timestamptz,
        dispatch_attempts int NOT NULL DEFAULT 0,
        last_error text,
        settled_at timestamptz
      )`);
    // Each scan has its own partial index, so they stay small however old the table grows:
    // pending rows (relay), delivered-but-unsettled rows (lost-job check), settled rows (prune).
    await q.query(`CREATE INDEX outbox_messages_pending_idx ON outbox_messages (available_at) WHERE dispatched_at IS NULL`);
    await q.query(
      `CREATE INDEX outbox_messages_in_flight_idx ON outbox_messages (dispatched_at) WHERE dispatched_at IS NOT NULL AND settled_at IS NULL`,
    );
    await q.query(`CREATE INDEX outbox_messages_settled_idx ON outbox_messages (settled_at) WHERE settled_at IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE outbox_messages`);
  }
}
