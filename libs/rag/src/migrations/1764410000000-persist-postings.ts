import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * document_postings: each document generation's BM25 postings as the search code lays them out
 * (DocumentTerms), per analyzer version, so a pod loads a dealership's lexical index instead of
 * analysing every chunk's text again. The bytes arrive brotli-compressed (PersistedPostings),
 * so Postgres is told not to compress them again (STORAGE EXTERNAL).
 *
 * Drops document_chunks.tsv and its GIN index: lexical search moved to the in-process BM25
 * index and nothing reads them any more, while every chunk insert still paid to_tsvector and
 * the GIN update.
 */
export class PersistPostings1764410000000 implements MigrationInterface {
  name = 'PersistPostings1764410000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE document_postings (
        dealership_id uuid NOT NULL REFERENCES dealerships(id) ON DELETE CASCADE,
        document_id uuid NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        generation int NOT NULL,
        analyzer_version int NOT NULL,
        postings bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (document_id, generation, analyzer_version)
      )`);
    await q.query(`ALTER TABLE document_postings ALTER COLUMN postings SET STORAGE EXTERNAL`);
    await q.query(`CREATE INDEX document_postings_dealership_idx ON document_postings (dealership_id)`);
    await q.query(`DROP INDEX document_chunks_tsv_idx`);
    await q.query(`ALTER TABLE document_chunks DROP COLUMN tsv`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE document_chunks ADD COLUMN tsv tsvector GENERATED ALWAYS AS (to_tsvector('english', text)) STORED`);
    await q.query(`CREATE INDEX document_chunks_tsv_idx ON document_chunks USING gin (tsv)`);
    await q.query(`DROP TABLE document_postings`);
  }
}
