import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { InjectTenantRepositories, Tenant, TenantRepositories } from '@showroom/auth';
import { APP_CONFIG, AppConfig, HandlesJob, JobContext } from '@showroom/core';
import { BLOB_STORAGE, CONTENT_TYPES, FileTooLargeError, renderToTempFile, type BlobStorage } from '@showroom/files';
import { createReadStream } from 'node:fs';
import { DataSource } from 'typeorm';
import { ExportContent } from './export-content';
import { ExportEvents } from './export-events';
import { ExportFailure } from './export-failure';
import { FileExport } from './export.entity';
import { GenerateExportJob, GenerateExportPayload } from './exports.jobs';

type Outcome = { outcome: 'ready'; sizeBytes: number } | { outcome: 'failed'; reason: string } | { outcome: 'skipped'; reason: string };

const ACTIVE = ['queued', 'processing'];

/**
 * Renders an export and stores its file. Safe to run twice and to run late: it re-reads the
 * row and does nothing unless it is still queued or processing; the file is written under
 * the export's own id (a re-run replaces it), and the row turns ready only by a conditional
 * UPDATE, so an export deleted or expired meanwhile gets no file (the one written is
 * removed). What a person must change (too long, too large, no access) fails at once with
 * a reason; anything else is retried, and the last attempt records the failure.
 */
@Injectable()
export class GenerateExportHandler {
  private readonly logger = new Logger(GenerateExportHandler.name);

  constructor(
    @InjectTenantRepositories(FileExport) private readonly exports: TenantRepositories<FileExport>,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(BLOB_STORAGE) private readonly blobs: BlobStorage,
    private readonly content: ExportContent,
    private readonly events: ExportEvents,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @HandlesJob(GenerateExportJob)
  async generate(payload: GenerateExportPayload, context: JobContext): Promise<Outcome> {
    const tenant: Tenant = { dealershipId: payload.dealershipId };
    const row = await this.exports.for(tenant).findOneBy({ id: payload.exportId });
    if (!row) return { outcome: 'skipped', reason: 'export deleted' };
    if (!ACTIVE.includes(row.status)) return { outcome: 'skipped', reason: `already ${row.status}` };
    try {
      return await this.process(tenant, row, context);
    } catch (error) {
      if (error instanceof ExportFailure) return this.fail(tenant, row, error.message);
      if (error instanceof FileTooLargeError) return this.fail(tenant, row, `The file would be larger than ${error.maxBytes} bytes, the limit for one export; export less (a shorter date range, or CSV).`);
      if (context.attempt >= context.maxAttempts) await this.fail(tenant, row, 'Generating the file failed repeatedly; try again later or contact support.');
      throw error;
    }
  }

  private async process(tenant: Tenant, row: FileExport, context: JobContext): Promise<Outcome> {
    const progress = this.progressReporter(tenant, row, context);
    await progress(5);
    const { document, fileName } = await this.content.build(tenant, row);
    await progress(20);
    let reported = 20;
    let chain = Promise.resolve();
    const file = await renderToTempFile(document, row.format, {
      maxBytes: this.config.exports.maxBytes,
      pdfFonts: { regular: this.config.exports.pdfFont, bold: this.config.exports.pdfFontBold },
      onProgress: (fraction) => {
        const percent = 20 + Math.floor(fraction * 60);
        if (percent < reported + 10) return; // a few updates per export, not one per block
        reported = percent;
        chain = chain.then(() => progress(percent)).catch(() => undefined);
      },
    });
    try {
      await chain;
      const contentType = CONTENT_TYPES[row.format];
      await this.blobs.write(tenant, row.id, createReadStream(file.path), { sizeBytes: file.sizeBytes, contentType });
      await progress(90);
      const [, changed] = (await this.dataSource.query(
        `UPDATE file_exports SET status = 'ready', progress = 100, blob_id = id, size_bytes = $3, file_name = $4, content_type = $5, error = NULL,
                completed_at = now(), expires_at = now() + make_interval(hours => $6), updated_at = now()
          WHERE id = $1 AND dealership_id = $2 AND status IN ('queued', 'processing')`,
        [row.id, tenant.dealershipId, file.sizeBytes, fileName, contentType, this.config.exports.ttlHours],
      )) as [unknown, number];
      if (changed === 0) {
        await this.blobs.delete(tenant, row.id);
        return { outcome: 'skipped', reason: 'deleted or expired while rendering' };
      }
      await this.events.publish(tenant.dealershipId, { exportId: row.id, requestedBy: row.requestedBy, status: 'ready', progress: 100, sizeBytes: file.sizeBytes, error: null });
      await context.updateProgress(100);
      return { outcome: 'ready', sizeBytes: file.sizeBytes };
    } finally {
      await file.dispose();
    }
  }

  /** Moves the row's progress forward (never back: a re-run after a crash starts low again but the row keeps its best). */
  private progressReporter(tenant: Tenant, row: FileExport, context: JobContext) {
    return async (percent: number) => {
      await this.dataSource.query(
        `UPDATE file_exports SET status = 'processing', progress = GREATEST(progress, $3), updated_at = now()
          WHERE id = $1 AND dealership_id = $2 AND status IN ('queued', 'processing')`,
        [row.id, tenant.dealershipId, percent],
      );
      await this.events.publish(tenant.dealershipId, { exportId: row.id, requestedBy: row.requestedBy, status: 'processing', progress: percent, sizeBytes: null, error: null });
      await context.updateProgress(percent);
    };
  }

  private async fail(tenant: Tenant, row: FileExport, reason: string): Promise<Outcome> {
    this.logger.warn(`export ${row.id} failed: ${reason}`);
    await this.dataSource.query(
      `UPDATE file_exports SET status = 'failed', progress = 100, error = $3, completed_at = now(), updated_at = now()
        WHERE id = $1 AND dealership_id = $2 AND status IN ('queued', 'processing')`,
      [row.id, tenant.dealershipId, reason],
    );
    await this.events.publish(tenant.dealershipId, { exportId: row.id, requestedBy: row.requestedBy, status: 'failed', progress: 100, sizeBytes: null, error: reason });
    return { outcome: 'failed', reason };
  }
}
