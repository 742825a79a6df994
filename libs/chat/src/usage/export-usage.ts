import type { DataSource } from 'typeorm';
import type { DayRange } from './usage-range';

/** Exports and reports one dealership requested in a range, by kind and format. */
export interface ExportUsageLine {
  kind: string;
  format: string;
  requested: number;
  /** Made successfully (still downloadable or since expired). */
  ready: number;
  failed: number;
  /** Bytes generated. */
  bytes: number;
}

export interface ExportUsage {
  items: ExportUsageLine[];
  totals: { requested: number; ready: number; failed: number; bytes: number };
}

/** One statement over file_exports (libs/chat/src/exports), counted by the day each was requested (UTC). */
export async function exportUsage(dataSource: DataSource, dealershipId: string, range: DayRange): Promise<ExportUsage> {
  const rows = (await dataSource.query(
    `SELECT kind, format, count(*)::int AS requested,
            (count(*) FILTER (WHERE completed_at IS NOT NULL AND error IS NULL))::int AS ready,
            (count(*) FILTER (WHERE status = 'failed' OR error IS NOT NULL))::int AS failed,
            coalesce(sum(size_bytes), 0)::bigint AS bytes
       FROM file_exports
      WHERE dealership_id = $1
        AND created_at >= ($2::date::timestamp AT TIME ZONE 'UTC')
        AND created_at < (($3::date + 1)::timestamp AT TIME ZONE 'UTC')
      GROUP BY kind, format ORDER BY kind, format`,
    [dealershipId, range.from, range.to],
  )) as { kind: string; format: string; requested: number; ready: number; failed: number; bytes: string }[];
  const items = rows.map((r) => ({ ...r, bytes: Number(r.bytes) }));
  const totals = { requested: 0, ready: 0, failed: 0, bytes: 0 };
  for (const item of items) {
    totals.requested += item.requested;
    totals.ready += item.ready;
    totals.failed += item.failed;
    totals.bytes += item.bytes;
  }
  return { items, totals };
}
