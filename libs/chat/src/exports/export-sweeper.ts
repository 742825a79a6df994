import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { HandlesJob, Outbox } from '@showroom/core';
import { BLOB_STORAGE, type BlobStorage } from '@showroom/files';
import { DataSource } from 'typeorm';
import { ExportEvents } from './export-events';
import { ExpireExportsJob, GenerateExportJob } from './exports.jobs';

const BATCH = 200;
const STOPPED = 'Generating the file stopped unexpectedly; request the export again.';
/** An export still queued or processing this long after its last change, with no job left, has stopped for good. */
const STALLED_AFTER_SECONDS = 15 * 60;

/**
 * The maintenance sweep of exports, across dealerships (a platform job):
 * - deletes the file of every export past `expiresAt`, or whose conversation was deleted
 *   (a deletion request must not leave a copy behind), and marks the row `expired` (kept,
 *   so a download answers 410 rather than 404, and usage still counts it);
 * - fails exports whose job BullMQ gave up on without our handler recording it (a worker
 *   killed more often than the stalled limit allows), with a reason.
 * The blob is deleted before the row changes, so a failure is retried by the next sweep.
 */
@Injectable()
export class ExportSweeper {
  private readonly logger = new Logger(ExportSweeper.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(BLOB_STORAGE) private readonly blobs: BlobStorage,
    private readonly events: ExportEvents,
    private readonly outbox: Outbox,
  ) {}

  @HandlesJob(ExpireExportsJob, { repeat: { everyMs: (config) => config.exports.sweepIntervalMs, payload: {} } })
  async sweep(): Promise<{ expired: number; stalled: number }> {
    const due = (await this.dataSource.query(
      `SELECT e.id, e.dealership_id, e.requested_by FROM file_exports e
        WHERE e.status <> 'expired'
          AND (e.expires_at <= now()
               OR (e.kind = 'conversation' AND NOT EXISTS (SELECT 1 FROM conversations c WHERE c.id = e.conversation_id)))
        ORDER BY e.expires_at LIMIT $1`,
      [BATCH],
    )) as { id: string; dealership_id: string; requested_by: string }[];
    let expired = 0;
    for (const row of due) {
      const tenant = { dealershipId: row.dealership_id };
      // The file lives under the export's id, whether or not the row got as far as saying so.
      await this.blobs.delete(tenant, row.id);
      const [, changed] = (await this.dataSource.query(
        `UPDATE file_exports SET status = 'expired', blob_id = NULL, updated_at = now() WHERE id = $1 AND status <> 'expired'`,
        [row.id],
      )) as [unknown, number];
      expired += changed;
      if (changed) await this.events.publish(row.dealership_id, { exportId: row.id, requestedBy: row.requested_by, status: 'expired', progress: 100, sizeBytes: null, error: null });
    }
    const stalled = await this.failStalled();
    if (expired + stalled > 0) this.logger.log(`exports sweep: ${expired} expired, ${stalled} stalled failed`);
    return { expired, stalled };
  }

  private async failStalled(): Promise<number> {
    const candidates = (await this.dataSource.query(
      `SELECT id, dealership_id, requested_by FROM file_exports
        WHERE status IN ('queued', 'processing') AND updated_at < now() - make_interval(secs => $1)
        ORDER BY updated_at LIMIT $2`,
      [STALLED_AFTER_SECONDS, BATCH],
    )) as { id: string; dealership_id: string; requested_by: string }[];
    const pending = await this.outbox.unsettled([GenerateExportJob], candidates.map((c) => ({ dealershipId: c.dealership_id, exportId: c.id })));
    let failed = 0;
    for (const [i, row] of candidates.entries()) {
      if (pending[i]) continue; // its job is still on its way: the handler will finish or fail it
      const [, changed] = (await this.dataSource.query(
        `UPDATE file_exports SET status = 'failed', progress = 100, error = $2, completed_at = now(), updated_at = now()
          WHERE id = $1 AND status IN ('queued', 'processing') AND updated_at < now() - make_interval(secs => $3)`,
        [row.id, STOPPED, STALLED_AFTER_SECONDS],
      )) as [unknown, number];
      failed += changed;
      if (changed) await this.events.publish(row.dealership_id, { exportId: row.id, requestedBy: row.requested_by, status: 'failed', progress: 100, sizeBytes: null, error: STOPPED });
    }
    return failed;
  }
}
