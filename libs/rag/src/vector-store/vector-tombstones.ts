import type { OutboxTransaction } from '@showroom/core';
import type { VectorStore } from './vector-store.port';
import { PurgeVectorsJob } from './vector-purge.jobs';

/**
 * Called in the transaction that deletes chunk rows, with the same condition: when the
 * vector store keeps its own copy, the doomed chunk ids are recorded and a purge job is
 * enqueued with the commit, so the vectors go too, even if the process dies right after.
 */
export async function tombstoneChunks(
  tx: OutboxTransaction,
  store: VectorStore,
  dealershipId: string,
  where: { documentId: string; exceptGeneration?: number },
): Promise<void> {
  if (!store.keepsOwnCopy) return;
  const [{ inserted }] = (await tx.manager.query(
    `WITH added AS (
       INSERT INTO vector_tombstones (dealership_id, chunk_id)
       SELECT dealership_id, id FROM document_chunks
        WHERE dealership_id = $1 AND document_id = $2 AND ($3::int IS NULL OR generation <> $3)
       ON CONFLICT DO NOTHING RETURNING 1)
     SELECT count(*)::int AS inserted FROM added`,
    [dealershipId, where.documentId, where.exceptGeneration ?? null],
  )) as { inserted: number }[];
  if (inserted > 0) await tx.enqueue(PurgeVectorsJob, { dealershipId });
}
