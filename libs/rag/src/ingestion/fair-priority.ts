import type { EntityManager } from 'typeorm';

/** BullMQ's lowest priority (larger numbers run later). */
const LOWEST_PRIORITY = 2_097_152;

/**
 * Fairness between dealerships on the shared ingestion queue: a job's BullMQ priority is how
 * many of its dealership's documents are already waiting or in progress. A dealership's first
 * document runs ahead of another dealership's 500th, so one big upload cannot starve everyone
 * else, while each dealership's own documents keep their order.
 */
export async function fairIngestionPriority(manager: EntityManager, dealershipId: string): Promise<number> {
  const [{ pending }] = (await manager.query(
    `SELECT count(*)::int AS pending FROM documents WHERE dealership_id = $1 AND status IN ('queued', 'processing')`,
    [dealershipId],
  )) as [{ pending: number }];
  return Math.min(Math.max(pending, 1), LOWEST_PRIORITY);
}
