import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateAvatarSessions1764200000000 implements MigrationInterface {
  name = 'CreateAvatarSessions1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE avatar_sessions (
        id uuid PRIMARY KEY,
        dealership_id uuid NOT NULL REFERENCES dealerships(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        -- no foreign key: a deleted conversation must not delete the record of minutes billed
        conversation_id uuid NOT NULL,
        provider text NOT NULL,
        mode text NOT NULL,
        status text NOT NULL CHECK (status IN ('starting', 'active', 'ended')),
        provider_session_id text,
        provider_handle jsonb,
        livekit_url text,
        livekit_token text,
        started_at timestamptz,
        last_active_at timestamptz NOT NULL,
        client_seen_at timestamptz NOT NULL,
        keep_alive_at timestamptz,
        expires_at timestamptz NOT NULL,
        ended_at timestamptz,
        end_reason text,
        seconds_used int NOT NULL DEFAULT 0 CHECK (seconds_used >= 0),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        CHECK ((status = 'ended') = (ended_at IS NOT NULL))
      )`);
    // The sweep and the concurrency quota read only open sessions.
    await q.query(`CREATE INDEX avatar_sessions_open_idx ON avatar_sessions (dealership_id) WHERE status <> 'ended'`);
    // Minutes per month, and usage by day.
    await q.query(`CREATE INDEX avatar_sessions_dealership_created_idx ON avatar_sessions (dealership_id, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE avatar_sessions`);
  }
}
