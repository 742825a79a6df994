import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateBlobs1763795000000 implements MigrationInterface {
  name = 'CreateBlobs1763795000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE blobs (
        id uuid PRIMARY KEY,
        dealership_id uuid NOT NULL REFERENCES dealerships(id) ON DELETE CASCADE,
        content_type text NOT NULL,
        size_bytes int NOT NULL,
        data bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    // Blobs are written once and read whole; keep TOAST from trying to compress PDFs and zips.
    await q.query(`ALTER TABLE blobs ALTER COLUMN data SET STORAGE EXTERNAL`);
    await q.query(`CREATE INDEX blobs_dealership_idx ON blobs (dealership_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE blobs`);
  }
}
