import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateVoiceUsage1764150000000 implements MigrationInterface {
  name = 'CreateVoiceUsage1764150000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE voice_usage_daily (
        dealership_id uuid NOT NULL REFERENCES dealerships(id) ON DELETE CASCADE,
        day date NOT NULL,
        provider text NOT NULL,
        transcriptions int NOT NULL DEFAULT 0,
        transcribed_ms bigint NOT NULL DEFAULT 0,
        syntheses int NOT NULL DEFAULT 0,
        synthesized_chars bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (dealership_id, day, provider)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE voice_usage_daily');
  }
}
