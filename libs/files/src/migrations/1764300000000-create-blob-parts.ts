import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Streamed writes (generated exports) land as 1 MiB parts, inserted as the stream arrives, so
 * the writer never holds a whole file: bytea has no streaming insert. A blob has either its
 * bytes in `blobs.data` (small uploads written whole) or parts here (`data` is then NULL).
 */
export class CreateBlobParts1764300000000 implements MigrationInterface {
  name = 'CreateBlobParts1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE blobs ALTER COLUMN data DROP NOT NULL`);
    // parent_id, not blob_id: the orphan sweep reads columns named *blob_id as references from
    // other tables, and a blob's own parts must not keep it alive.
    await q.query(`
      CREATE TABLE blob_parts (
        parent_id uuid NOT NULL REFERENCES blobs(id) ON DELETE CASCADE,
        dealership_id uuid NOT NULL,
        part int NOT NULL,
        data bytea NOT NULL,
        PRIMARY KEY (parent_id, part)
      )`);
    await q.query(`ALTER TABLE blob_parts ALTER COLUMN data SET STORAGE EXTERNAL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE blob_parts`);
    await q.query(`DELETE FROM blobs WHERE data IS NULL`);
    await q.query(`ALTER TABLE blobs ALTER COLUMN data SET NOT NULL`);
  }
}
