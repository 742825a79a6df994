import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig, HandlesJob, Outbox } from '@showroom/core';
import { DataSource } from 'typeorm';
import { fairIngestionPriority } from './fair-priority';
import { EmbedChunksJob, IngestDocumentJob } from './ingestion.jobs';
import { ReconcileDocumentsJob } from './reconcile.jobs';

/** After this many restarts a document is presumed to be what stops the worker (a poison file). */
const MAX_RESTARTS = 3;
const BATCH = 100;

interface StuckDocument {
  id: string;
  dealership_id: string;
  generation: number;
  ingest_attempts: number;
}

/**
 * The safety net under ingestion. The outbox already re-sends a job Redis lost before it
 * finished; what is left is a job BullMQ itself gave up on without our handler recording it
 * (a worker killed mid-job more often than BullMQ's stalled limit allows). Such a document
 * sits in `queued`/`processing` with no unsettled job: this re-queues it, up to MAX_RESTARTS,
 * then fails it with a reason. A platform-level job, so it looks across dealerships.
 */
@Injectable()
export class DocumentReconciler {
  private readonly logger = new Logger(DocumentReconciler.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @HandlesJob(ReconcileDocumentsJob, { repeat: { everyMs: (config) => config.knowledge.reconcileIntervalMs, payload: {} } })
  async reconcile(): Promise<{ requeued: number; failed: number }> {
    const stuck = (await this.dataSource.query(
      `SELECT d.id, d.dealership_id, d.generation, d.ingest_attempts
         FROM documents d
        WHERE d.status IN ('queued', 'processing')
          AND d.updated_at < now() - make_interval(secs => $1)
          AND NOT EXISTS (
                SELECT 1 FROM outbox_messages o
                 WHERE o.job_name = ANY($2) AND o.settled_at IS NULL
                   AND o.payload->>'documentId' = d.id::text
                   AND (o.payload->>'generation')::int = d.generation)
        ORDER BY d.updated_at
        LIMIT $3`,
      [this.config.knowledge.stallAfterMs / 1000, [IngestDocumentJob.name, EmbedChunksJob.name], BATCH],
    )) as StuckDocument[];
    let requeued = 0;
    let failed = 0;
    for (const doc of stuck) {
      if (doc.ingest_attempts >= MAX_RESTARTS) {
        failed += await this.failPoison(doc);
      } else {
        requeued += await this.requeue(doc);
      }
    }
    if (stuck.length > 0) this.logger.warn(`reconciled stuck documents: ${requeued} re-queued, ${failed} failed`);
    return { requeued, failed };
  }

  private requeue(doc: StuckDocument): Promise<number> {
    return this.outbox.transaction(async (tx) => {
      const [, changed] = (await tx.manager.query(
        `UPDATE documents SET status = 'queued', progress = 0, ingest_attempts = ingest_attempts + 1, updated_at = now()
          WHERE id = $1 AND generation = $2 AND status IN ('queued', 'processing')`,
        [doc.id, doc.generation],
      )) as [unknown, number];
      if (changed === 0) return 0; // finished or deleted meanwhile
      const priority = await fairIngestionPriority(tx.manager, doc.dealership_id);
      await tx.enqueue(IngestDocumentJob, { dealershipId: doc.dealership_id, documentId: doc.id, generation: doc.generation }, { priority });
      return 1;
    });
  }

  private async failPoison(doc: StuckDocument): Promise<number> {
    const [, changed] = (await this.dataSource.query(
      `UPDATE documents SET status = 'failed', progress = 100, updated_at = now(),
              error = 'Processing this document kept stopping the worker; check the file or upload another copy.'
        WHERE id = $1 AND generation = $2 AND status IN ('queued', 'processing')`,
      [doc.id, doc.generation],
    )) as [unknown, number];
    return changed;
  }
}
