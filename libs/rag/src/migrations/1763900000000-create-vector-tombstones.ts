import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Chunk ids whose vectors must still be deleted from an external vector store. Written in
 * the transaction that deletes the chunk rows, removed once the store confirmed the delete.
 * No foreign keys on purpose: a tombstone must outlive the rows it speaks for.
 */
export class CreateVectorTombstones1763900000000 implements MigrationInterface {
  name = 'CreateVectorTombstones1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE vector_tombstones (
        dealership_id uuid NOT NULL,
        chunk_id uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (dealership_id, chunk_id)
      )`);
    await q.query(`CREATE INDEX vector_tombstones_created_at ON vector_tombstones (created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE vector_tombstones`);
  }
}
