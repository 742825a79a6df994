import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig, HandlesJob, MetricsRegistry } from '@showroom/core';
import { Counter } from 'prom-client';
import { BLOB_STORAGE, BlobStorage } from '../blob/blob-storage.port';
import { BlobReferences } from './blob-references';
import { SweepOrphanBlobsJob } from './orphan-blobs.jobs';

const PAGE = 500;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Removes blobs that no row references. Writers store the blob first and commit its row after
 * (an upload), or delete the row first and the blob after (a document delete, an expired
 * export), so a crash in between leaves an orphan that nothing would ever remove. Only blobs
 * older than BLOB_ORPHAN_GRACE_MS are considered: a blob whose row is still being committed,
 * or an export being written under its final id, is never taken for an orphan.
 */
@Injectable()
export class OrphanBlobSweep {
  private readonly logger = new Logger(OrphanBlobSweep.name);
  private readonly removed: Counter;

  constructor(
    @Inject(BLOB_STORAGE) private readonly storage: BlobStorage,
    private readonly references: BlobReferences,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(MetricsRegistry) registry: MetricsRegistry,
  ) {
    this.removed = new Counter({ name: 'blob_orphans_removed_total', help: 'Blobs removed by the orphan sweep because no row referenced them', registers: [registry] });
  }

  @HandlesJob(SweepOrphanBlobsJob, { repeat: { everyMs: (config) => config.blobStorage.sweepIntervalMs, payload: {} } })
  async sweep(): Promise<{ checked: number; removed: number }> {
    const cutoff = Date.now() - this.config.blobStorage.orphanGraceMs;
    let after: string | undefined;
    let checked = 0;
    let removed = 0;
    for (;;) {
      const page = await this.storage.listStored(after, PAGE);
      if (page.length === 0) break;
      after = page.at(-1)!.position;
      // Only ids this code writes (UUIDs); anything else in the bucket is not ours to judge.
      const old = page.filter((blob) => blob.storedAt.getTime() < cutoff && UUID.test(blob.id));
      checked += old.length;
      const referenced = await this.references.referenced(old.map((blob) => blob.id));
      for (const blob of old.filter((b) => !referenced.has(b.id))) {
        await this.storage.delete(blob.tenant, blob.id);
        this.removed.inc();
        removed += 1;
      }
    }
    if (removed > 0) this.logger.log(`removed ${removed} orphan blob(s) of ${checked} checked`);
    return { checked, removed };
  }
}
