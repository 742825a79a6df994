import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig, HandlesJob, Outbox } from '@showroom/core';
import { DataSource } from 'typeorm';
import { DocumentLifecycle } from '../documents/document-lifecycle';
import { EmbedChunksJob, IngestDocumentJob } from './ingestion.jobs';
import { ReconcileDocumentsJob } from './reconcile.jobs';

/** After this many restarts a document is presumed to be what stops the worker (a poison file). */
const MAX_RESTARTS = 3;
const BATCH = 100;
const POISON_REASON = 'Processing this document kept stopping the worker; check the file or upload another copy.';

interface StalledDocument {
  id: string;
  dealershipId: string;
  generation: number;
  chunkCount: number;
  ingestAttempts: number;
  /** As text, so the page cursor keeps Postgres' microseconds (a Date has milliseconds). */
  updatedAt: string;
}

/**
 * The safety net under ingestion. The outbox already re-sends a job Redis lost before it
 * finished; what is left is a job BullMQ itself gave up on without our handler recording it
 * (a worker killed mid-job more often than BullMQ's stalled limit allows). Such a document
 * sits in `queued`/`processing` with no unsettled job (the outbox tells): this re-queues it,
 * up to MAX_RESTARTS, then fails it with a reason. A platform-level job, so it looks across
 * dealerships; each change goes through DocumentLifecycle as the document's dealership.
 */
@Injectable()
export class DocumentReconciler {
  private readonly logger = new Logger(DocumentReconciler.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
    private readonly lifecycle: DocumentLifecycle,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @HandlesJob(ReconcileDocumentsJob, { repeat: { everyMs: (config) => config.knowledge.reconcileIntervalMs, payload: {} } })
  async reconcile(): Promise<{ requeued: number; failed: number }> {
    const stuck = await this.stuckDocuments();
    let requeued = 0;
    let failed = 0;
    for (const doc of stuck) {
      const tenant = { dealershipId: doc.dealershipId };
      if (doc.ingestAttempts >= MAX_RESTARTS) {
        if (await this.lifecycle.fail(tenant, doc, POISON_REASON)) failed += 1;
      } else if (await this.lifecycle.restart(tenant, doc)) {
        requeued += 1; // else finished or deleted meanwhile
      }
    }
    if (stuck.length > 0) this.logger.warn(`reconciled stuck documents: ${requeued} re-queued, ${failed} failed`);
    return { requeued, failed };
  }

  /**
   * Up to BATCH unfinished documents untouched for a while whose generation has no unsettled
   * ingestion or embedding job. Stalled candidates are read oldest first, a page at a time,
   * because many of them may just be waiting their turn behind a big upload.
   */
  private async stuckDocuments(): Promise<StalledDocument[]> {
    const stuck: StalledDocument[] = [];
    let after: StalledDocument | undefined;
    while (stuck.length < BATCH) {
      const page = await this.stalled(after);
      const inFlight = await this.outbox.unsettled(
        [IngestDocumentJob, EmbedChunksJob],
        page.map((doc) => ({ documentId: doc.id, generation: doc.generation })),
      );
      stuck.push(...page.filter((_, i) => !inFlight[i]));
      if (page.length < BATCH) break;
      after = page.at(-1);
    }
    return stuck.slice(0, BATCH);
  }

  private stalled(after: StalledDocument | undefined): Promise<StalledDocument[]> {
    return this.dataSource.query(
      `SELECT id, dealership_id AS "dealershipId", generation, chunk_count AS "chunkCount",
              ingest_attempts AS "ingestAttempts", updated_at::text AS "updatedAt"
         FROM documents
        WHERE status IN ('queued', 'processing')
          AND updated_at < now() - make_interval(secs => $1)
          AND ($2::timestamptz IS NULL OR (updated_at, id) > ($2, $3::uuid))
        ORDER BY updated_at, id
        LIMIT $4`,
      [this.config.knowledge.stallAfterMs / 1000, after?.updatedAt ?? null, after?.id ?? null, BATCH],
    );
  }
}
