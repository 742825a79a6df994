import type { Session } from './auth-helpers';
import type { TestContext } from './test-context';

/**
 * Knowledge without a worker: one ready document holding one chunk, written straight to the
 * suite's database, so answers find a passage and call the model without waiting on ingestion.
 */
export async function seedOneChunkDocument(ctx: TestContext, owner: Session, text = 'The powertrain warranty lasts five years.'): Promise<void> {
  await ctx.db.query(
    `WITH d AS (INSERT INTO documents (id, dealership_id, title, file_name, doc_type, mime_type, size_bytes, content_sha256, blob_id, status, progress, chunk_count, created_by, searchable_generation)
                VALUES (gen_random_uuid(), $1, 'Warranty', 'w.md', 'markdown', 'text/markdown', 1, 'x', gen_random_uuid(), 'ready', 100, 1, $2, 0) RETURNING id)
     INSERT INTO document_chunks (id, dealership_id, document_id, generation, chunk_index, text, token_count) SELECT gen_random_uuid(), $1, d.id, 0, 0, $3, 8 FROM d`,
    [owner.dealership.id, owner.user.id, text],
  );
}
