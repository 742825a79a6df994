import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateDocuments1763800000000 implements MigrationInterface {
  name = 'CreateDocuments1763800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE documents (
        id uuid PRIMARY KEY,
        dealership_id uuid NOT NULL REFERENCES dealerships(id) ON DELETE CASCADE,
        title text NOT NULL,
        file_name text NOT NULL,
        doc_type text NOT NULL,
        mime_type text NOT NULL,
        size_bytes int NOT NULL,
        content_sha256 text NOT NULL,
        blob_id uuid NOT NULL,
        status text NOT NULL CHECK (status IN ('queued', 'processing', 'ready', 'failed')),
        progress int NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
        chunk_count int NOT NULL DEFAULT 0,
        error text,
        generation int NOT NULL DEFAULT 0,
        -- how many times the reconciler had to restart this generation's ingestion
        ingest_attempts int NOT NULL DEFAULT 0,
        -- the generation search reads; null until the first one is ready (reindex swaps it)
        searchable_generation int,
        created_by uuid NOT NULL REFERENCES users(id),
        -- millisecond precision: list cursors carry JS Dates and must compare exactly
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // Content-hash dedup per dealership; the index also settles two concurrent identical uploads.
    await q.query(`CREATE UNIQUE INDEX documents_dealership_sha_key ON documents (dealership_id, content_sha256)`);
    await q.query(`CREATE INDEX documents_dealership_created_idx ON documents (dealership_id, created_at DESC, id DESC)`);
    // The reconciler looks for work that is not finished.
    await q.query(`CREATE INDEX documents_unfinished_idx ON documents (updated_at) WHERE status IN ('queued', 'processing')`);
    await q.query(`
      CREATE TABLE document_chunks (
        id uuid PRIMARY KEY,
        dealership_id uuid NOT NULL REFERENCES dealerships(id) ON DELETE CASCADE,
        document_id uuid NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        generation int NOT NULL,
        chunk_index int NOT NULL,
        text text NOT NULL,
        page int,
        heading_path text[] NOT NULL DEFAULT '{}',
        token_count int NOT NULL,
        -- float32 little-endian, filled by the embeddings queue; null until this chunk's batch
        -- has been embedded. bytea, not real[]: reading real[] makes node-postgres parse every
        -- number from text, which cost 1.4 s per query at 10k chunks (BENCHMARKS.md).
        embedding bytea,
        -- Full-text search over the chunk, kept by Postgres itself.
        tsv tsvector GENERATED ALWAYS AS (to_tsvector('english', text)) STORED,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (document_id, generation, chunk_index)
      )`);
    await q.query(`CREATE INDEX document_chunks_tsv_idx ON document_chunks USING gin (tsv)`);
    await q.query(`CREATE INDEX document_chunks_dealership_idx ON document_chunks (dealership_id, document_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE document_chunks, documents`);
  }
}
