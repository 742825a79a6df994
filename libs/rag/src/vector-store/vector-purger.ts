import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig, HandlesJob, JobProducer } from '@showroom/core';
import { DataSource } from 'typeorm';
import { PurgeVectorsJob, PurgeVectorsPayload, SweepVectorTombstonesJob } from './vector-purge.jobs';
import { VECTOR_STORE, type VectorStore } from './vector-store.port';

/** A purge job left this long without progress (lost, or out of attempts) is restarted by the sweep. */
const ABANDONED_AFTER_SECONDS = 300;

/**
 * Deletes tombstoned vectors from the external store. A batch's tombstones are removed only
 * after the store confirmed the delete, so a crash or an outage only delays the purge;
 * deleting an id twice is harmless. Batches are claimed with SKIP LOCKED so two purges of
 * one dealership do not send the same ids.
 */
@Injectable()
export class VectorPurger {
  private readonly logger = new Logger(VectorPurger.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(VECTOR_STORE) private readonly store: VectorStore,
    private readonly jobs: JobProducer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @HandlesJob(PurgeVectorsJob)
  async purge(payload: PurgeVectorsPayload): Promise<{ purged: number }> {
    let purged = 0;
    for (;;) {
      const batch = await this.purgeBatch(payload.dealershipId);
      purged += batch;
      if (batch === 0) return { purged };
    }
  }

  @HandlesJob(SweepVectorTombstonesJob, { repeat: { everyMs: (config) => config.knowledge.reconcileIntervalMs, payload: {} } })
  async sweep(): Promise<{ dealerships: number }> {
    const rows = (await this.dataSource.query(
      `SELECT DISTINCT dealership_id FROM vector_tombstones WHERE created_at < now() - make_interval(secs => $1)`,
      [ABANDONED_AFTER_SECONDS],
    )) as { dealership_id: string }[];
    for (const row of rows) await this.jobs.enqueue(PurgeVectorsJob, { dealershipId: row.dealership_id });
    if (rows.length > 0) this.logger.warn(`re-sent vector purges for ${rows.length} dealership(s) with old tombstones`);
    return { dealerships: rows.length };
  }

  private purgeBatch(dealershipId: string): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const rows = (await manager.query(
        `SELECT chunk_id FROM vector_tombstones WHERE dealership_id = $1 ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [dealershipId, this.config.pinecone.upsertBatch * 10],
      )) as { chunk_id: string }[];
      if (rows.length === 0) return 0;
      const ids = rows.map((row) => row.chunk_id);
      await this.store.delete(dealershipId, ids);
      await manager.query(`DELETE FROM vector_tombstones WHERE dealership_id = $1 AND chunk_id = ANY($2::uuid[])`, [dealershipId, ids]);
      return ids.length;
    });
  }
}
