import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * llm_usage_daily gets a `shard` in its key: every answer of a dealership finished on one day
 * added to the same row, so concurrent finishes queued on its row lock, each holding a
 * database connection until the one before it had committed (its WAL flushed). In a burst of
 * 1,000 answers half the pool sat in those lock waits while new answers waited for a
 * connection. A finish now adds to one of USAGE_SHARDS rows picked at random; reads sum them.
 * Existing rows become shard 0.
 */
export class ShardLlmUsage1764500000000 implements MigrationInterface {
  name = 'ShardLlmUsage1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE llm_usage_daily ADD COLUMN shard smallint NOT NULL DEFAULT 0`);
    await q.query(`ALTER TABLE llm_usage_daily DROP CONSTRAINT llm_usage_daily_pkey`);
    await q.query(`ALTER TABLE llm_usage_daily ADD PRIMARY KEY (dealership_id, day, model, shard)`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Fold the shards back into one row per key before restoring the old key.
    await q.query(`
      CREATE TEMP TABLE llm_usage_folded ON COMMIT DROP AS
        SELECT dealership_id, day, model, sum(requests)::int AS requests, sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens
        FROM llm_usage_daily GROUP BY dealership_id, day, model`);
    await q.query(`DELETE FROM llm_usage_daily`);
    await q.query(`ALTER TABLE llm_usage_daily DROP CONSTRAINT llm_usage_daily_pkey`);
    await q.query(`ALTER TABLE llm_usage_daily DROP COLUMN shard`);
    await q.query(`INSERT INTO llm_usage_daily SELECT * FROM llm_usage_folded`);
    await q.query(`ALTER TABLE llm_usage_daily ADD PRIMARY KEY (dealership_id, day, model)`);
  }
}
