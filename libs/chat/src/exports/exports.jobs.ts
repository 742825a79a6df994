import { defineJob } from '@showroom/core';

export interface GenerateExportPayload {
  dealershipId: string;
  exportId: string;
}

/**
 * Render one export and store its file. Safe to run twice: the handler checks the row's
 * state first and writes the file under the export's own id. Retried with backoff; the last
 * attempt records the failure on the row.
 */
export const GenerateExportJob = defineJob<GenerateExportPayload>({
  queue: 'file-generation',
  name: 'export.generate',
  options: { attempts: 3, backoff: { type: 'exponential', delay: 5_000, jitter: 0.5 } },
});

/** Repeatable: deletes the files of expired exports (and of exports whose conversation was deleted) and marks the rows expired. */
export const ExpireExportsJob = defineJob<Record<string, never>>({ queue: 'maintenance', name: 'exports.expire' });
