import { HttpStatus } from '@nestjs/common';
import type { Tenant } from '@showroom/auth';
import { AppException } from '@showroom/core';
import type { EntityManager } from 'typeorm';
import type { ExportSettings } from '../chat.config';

/**
 * Per-dealership quotas, checked inside the transaction that inserts the export, under a
 * per-dealership advisory lock, so concurrent requests on any pods cannot both take the last
 * slot. Exports per UTC day count every request (failed ones too: they cost worker time);
 * bytes held count ready files only (expired ones are deleted).
 */
export async function assertExportQuota(manager: EntityManager, tenant: Tenant, settings: ExportSettings): Promise<void> {
  await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('file_exports:' || $1, 0))`, [tenant.dealershipId]);
  const [usage] = (await manager.query(
    `SELECT (count(*) FILTER (WHERE created_at >= (date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')))::int AS today,
            coalesce(sum(size_bytes) FILTER (WHERE status = 'ready'), 0)::bigint AS held
       FROM file_exports WHERE dealership_id = $1`,
    [tenant.dealershipId],
  )) as { today: number; held: string }[];
  if (usage.today >= settings.dailyLimit) {
    throw new AppException(HttpStatus.TOO_MANY_REQUESTS, 'EXPORT_QUOTA_EXCEEDED', `Your dealership has requested ${settings.dailyLimit} exports today, its daily limit; try again tomorrow (UTC).`, [
      { field: 'quota', message: `exports per day: ${settings.dailyLimit}` },
    ]);
  }
  if (Number(usage.held) >= settings.maxBytesHeld) {
    throw new AppException(HttpStatus.TOO_MANY_REQUESTS, 'EXPORT_QUOTA_EXCEEDED', 'Your dealership holds as many export bytes as it may; delete some exports or wait for them to expire.', [
      { field: 'quota', message: `bytes held: ${settings.maxBytesHeld}` },
    ]);
  }
}
