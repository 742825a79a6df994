import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { InjectTenantRepositories, type Tenant, TenantRepositories } from '@showroom/auth';
import { UsageSection, type UsageSectionSource } from '@showroom/chat';
import { APP_CONFIG, AppConfig } from '@showroom/core';
import { Between, DataSource } from 'typeorm';
import { VoiceUsageDaily } from './voice-usage-daily.entity';

export interface VoiceUsageLine {
  day: string;
  provider: string;
  transcriptions: number;
  transcribedSeconds: number;
  syntheses: number;
  synthesizedCharacters: number;
  /** Null when VOICE_PRICES has no price for this provider. */
  estimatedCostUsd: number | null;
}

export interface VoiceUsageReport {
  items: VoiceUsageLine[];
  totals: { transcriptions: number; transcribedSeconds: number; syntheses: number; synthesizedCharacters: number; estimatedCostUsd: number; unpricedProviders: string[] };
}

const round = (usd: number) => Math.round(usd * 1e6) / 1e6;

/**
 * Voice usage per dealership, UTC day and provider: seconds transcribed and characters
 * synthesized, each added by one atomic upsert (concurrent requests on any pods add up).
 * Shown in GET /api/v1/usage under `sections.voice` (chat finds this @UsageSection at boot).
 */
@Injectable()
@UsageSection('voice')
export class VoiceUsage implements UsageSectionSource {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectTenantRepositories(VoiceUsageDaily) private readonly rows: TenantRepositories<VoiceUsageDaily>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  transcribed(tenant: Tenant, provider: string, seconds: number): Promise<void> {
    return this.add(tenant, provider, { transcriptions: 1, transcribedMs: Math.max(0, Math.round(seconds * 1000)), syntheses: 0, synthesizedChars: 0 });
  }

  synthesized(tenant: Tenant, provider: string, characters: number): Promise<void> {
    return this.add(tenant, provider, { transcriptions: 0, transcribedMs: 0, syntheses: 1, synthesizedChars: Math.max(0, characters) });
  }

  /** The lines of the range with their totals; the cost total covers priced providers only (`unpricedProviders` names the others). */
  async report(tenant: Tenant, range: { from: string; to: string }): Promise<VoiceUsageReport> {
    const items = await this.lines(tenant, range);
    const totals = { transcriptions: 0, transcribedSeconds: 0, syntheses: 0, synthesizedCharacters: 0, estimatedCostUsd: 0, unpricedProviders: [] as string[] };
    for (const item of items) {
      totals.transcriptions += item.transcriptions;
      totals.transcribedSeconds += item.transcribedSeconds;
      totals.syntheses += item.syntheses;
      totals.synthesizedCharacters += item.synthesizedCharacters;
      if (item.estimatedCostUsd === null) {
        if (!totals.unpricedProviders.includes(item.provider)) totals.unpricedProviders.push(item.provider);
      } else totals.estimatedCostUsd += item.estimatedCostUsd;
    }
    totals.estimatedCostUsd = round(totals.estimatedCostUsd);
    return { items, totals };
  }

  async lines(tenant: Tenant, range: { from: string; to: string }): Promise<VoiceUsageLine[]> {
    const rows = await this.rows.for(tenant).find({ where: { day: Between(range.from, range.to) }, order: { day: 'ASC', provider: 'ASC' } });
    return rows.map((row) => {
      const transcribedSeconds = Number(row.transcribedMs) / 1000;
      const synthesizedCharacters = Number(row.synthesizedChars);
      const price = this.config.voice.prices[row.provider];
      const estimatedCostUsd = price
        ? round((transcribedSeconds / 60) * (price.sttPerMinute ?? 0) + (synthesizedCharacters / 1e6) * (price.ttsPerMillionChars ?? 0))
        : null;
      return { day: row.day, provider: row.provider, transcriptions: row.transcriptions, transcribedSeconds, syntheses: row.syntheses, synthesizedCharacters, estimatedCostUsd };
    });
  }

  private async add(tenant: Tenant, provider: string, n: { transcriptions: number; transcribedMs: number; syntheses: number; synthesizedChars: number }): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO voice_usage_daily (dealership_id, day, provider, transcriptions, transcribed_ms, syntheses, synthesized_chars)
       VALUES ($1, (now() AT TIME ZONE 'UTC')::date, $2, $3, $4, $5, $6)
       ON CONFLICT (dealership_id, day, provider) DO UPDATE SET
         transcriptions = voice_usage_daily.transcriptions + EXCLUDED.transcriptions,
         transcribed_ms = voice_usage_daily.transcribed_ms + EXCLUDED.transcribed_ms,
         syntheses = voice_usage_daily.syntheses + EXCLUDED.syntheses,
         synthesized_chars = voice_usage_daily.synthesized_chars + EXCLUDED.synthesized_chars`,
      [tenant.dealershipId, provider, n.transcriptions, n.transcribedMs, n.syntheses, n.synthesizedChars],
    );
  }
}
