import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Tenant } from '@showroom/auth';
import { UsageSection, type UsageSectionSource } from '@showroom/chat';
import { APP_CONFIG, AppConfig } from '@showroom/core';
import { DataSource } from 'typeorm';
import { ELAPSED_SECONDS } from '../sessions/session-sql';

export interface AvatarUsageLine {
  /** The UTC day the sessions started. */
  day: string;
  provider: string;
  sessions: number;
  seconds: number;
  /** Whole minutes, rounded up per day (vendors bill started minutes). */
  minutes: number;
  estimatedCostUsd: number;
}

export interface AvatarUsageReport {
  items: AvatarUsageLine[];
  totals: { sessions: number; seconds: number; minutes: number; estimatedCostUsd: number };
}

/**
 * Avatar minutes of one dealership per UTC day and provider, with the estimated cost
 * (AVATAR_PRICE_PER_MINUTE_USD). Read from the session rows themselves (ended sessions'
 * seconds, open ones' elapsed time), so the report cannot drift from what the sweep billed.
 * Shown in GET /api/v1/usage under `sections.avatar`.
 */
@Injectable()
@UsageSection('avatar')
export class AvatarUsage implements UsageSectionSource {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async report(tenant: Tenant, range: { from: string; to: string }): Promise<AvatarUsageReport> {
    const rows = (await this.dataSource.query(
      `SELECT to_char((created_at AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS day, provider, COUNT(*)::int AS sessions,
              COALESCE(SUM(CASE WHEN status = 'ended' THEN seconds_used ELSE ${ELAPSED_SECONDS} END), 0)::int AS seconds
         FROM avatar_sessions
        WHERE dealership_id = $1 AND (created_at AT TIME ZONE 'UTC')::date BETWEEN $2::date AND $3::date AND started_at IS NOT NULL
        GROUP BY 1, 2 ORDER BY 1, 2`,
      [tenant.dealershipId, range.from, range.to],
    )) as { day: string; provider: string; sessions: number; seconds: number }[];
    const price = this.config.avatar.pricePerMinuteUsd;
    const items = rows.map((r): AvatarUsageLine => {
      const minutes = Math.ceil(r.seconds / 60);
      return { ...r, minutes, estimatedCostUsd: roundUsd(minutes * price) };
    });
    const totals = { sessions: 0, seconds: 0, minutes: 0, estimatedCostUsd: 0 };
    for (const item of items) {
      totals.sessions += item.sessions;
      totals.seconds += item.seconds;
      totals.minutes += item.minutes;
      totals.estimatedCostUsd += item.estimatedCostUsd;
    }
    totals.estimatedCostUsd = roundUsd(totals.estimatedCostUsd);
    return { items, totals };
  }
}

const roundUsd = (usd: number) => Math.round(usd * 1e6) / 1e6;
