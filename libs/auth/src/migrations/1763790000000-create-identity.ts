import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateIdentity1763790000000 implements MigrationInterface {
  name = 'CreateIdentity1763790000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE dealerships (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY,
        dealership_id uuid NOT NULL REFERENCES dealerships(id) ON DELETE CASCADE,
        email text NOT NULL,
        name text NOT NULL,
        role text NOT NULL CHECK (role IN ('platform', 'owner', 'admin', 'staff')),
        password_hash text NOT NULL,
        active boolean NOT NULL DEFAULT true,
        -- millisecond precision: list cursors carry JS Dates and must compare exactly
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX users_email_key ON users (lower(email))`);
    await q.query(`CREATE INDEX users_dealership_created_idx ON users (dealership_id, created_at DESC, id DESC)`);
    await q.query(`
      CREATE TABLE refresh_tokens (
        id uuid PRIMARY KEY,
        family_id uuid NOT NULL,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        dealership_id uuid NOT NULL REFERENCES dealerships(id) ON DELETE CASCADE,
        token_hash text NOT NULL,
        expires_at timestamptz NOT NULL,
        rotated_at timestamptz,
        revoked_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX refresh_tokens_hash_key ON refresh_tokens (token_hash)`);
    await q.query(`CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id)`);
    await q.query(`CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (user_id) WHERE revoked_at IS NULL`);
    await q.query(`
      CREATE TABLE api_keys (
        id uuid PRIMARY KEY,
        dealership_id uuid NOT NULL REFERENCES dealerships(id) ON DELETE CASCADE,
        name text NOT NULL,
        prefix text NOT NULL,
        secret_hash text NOT NULL,
        created_by uuid NOT NULL REFERENCES users(id),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        revoked_at timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX api_keys_prefix_key ON api_keys (prefix)`);
    await q.query(`CREATE INDEX api_keys_dealership_idx ON api_keys (dealership_id, created_at DESC)`);
    await q.query(`
      CREATE TABLE audit_events (
        id uuid PRIMARY KEY,
        dealership_id uuid REFERENCES dealerships(id) ON DELETE CASCADE,
        actor_type text NOT NULL,
        actor_id uuid,
        action text NOT NULL,
        target_type text,
        target_id text,
        request_id text,
        ip text,
        metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX audit_events_dealership_idx ON audit_events (dealership_id, created_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_events, api_keys, refresh_tokens, users, dealerships`);
  }
}
