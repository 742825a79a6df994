import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { InjectTenantRepositories, Tenant, TenantRepositories } from '@showroom/auth';
import { APP_CONFIG, AppConfig } from '@showroom/core';
import { Between, DataSource, EntityManager } from 'typeorm';
import { countUsageSql, tokenCount } from './count-usage';
import { ExportUsage, exportUsage } from './export-usage';
import { LlmUsageDaily } from './llm-usage-daily.entity';
import { estimateCostUsd, roundUsd } from './usage-cost';
import { DayRange } from './usage-range';
import { UsageSections, UsageSectionReport } from './usage-sections';

/** One finished LLM call, as counted for billing. */
export interface UsageIncrement {
  model: string;
  inputTokens: number;
  outputTokens: number;
}

export interface UsageLine {
  day: string;
  model: string;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  /** Null for a model with no configured price (LLM_PRICES). */
  estimatedCostUsd: number | null;
}

export interface UsageReport extends DayRange {
  items: UsageLine[];
  /** The cost total covers the priced models only; `unpricedModels` names the others. */
  totals: { requests: number; inputTokens: number; outputTokens: number; estimatedCostUsd: number; unpricedModels: string[] };
  /** Exports and reports requested in the range (file generation is work the dealership used too). */
  exports: ExportUsage;
  /** What the other capabilities used (voice, avatar: each lib's @UsageSection), by key. */
  sections: Record<string, UsageSectionReport>;
  /** LLM, voice and avatar estimated cost together (priced items only). */
  estimatedCostUsd: number;
}

/** LLM usage per dealership, UTC day and model: counted as answers finish, reported to admins. */
@Injectable()
export class UsageService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectTenantRepositories(LlmUsageDaily) private readonly usage: TenantRepositories<LlmUsageDaily>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sections: UsageSections,
  ) {}

  /**
   * Adds one request and its tokens to today's (UTC) row (countUsageSql, the one usage write).
   * Pass the manager of a transaction to count with it.
   */
  async record(tenant: Tenant, increment: UsageIncrement, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.query(countUsageSql({ dealershipId: '$1', model: '$2', inputTokens: '$3', outputTokens: '$4' }), [
      tenant.dealershipId,
      increment.model,
      tokenCount(increment.inputTokens),
      tokenCount(increment.outputTokens),
    ]);
  }

  async report(tenant: Tenant, range: DayRange): Promise<UsageReport> {
    const rows = await this.usage.for(tenant).find({ where: { day: Between(range.from, range.to) }, order: { day: 'ASC', model: 'ASC' } });
    const items = rows.map((row): UsageLine => {
      const inputTokens = Number(row.inputTokens);
      const outputTokens = Number(row.outputTokens);
      return { day: row.day, model: row.model, requests: row.requests, inputTokens, outputTokens, estimatedCostUsd: estimateCostUsd(this.config.llm.prices, row.model, inputTokens, outputTokens) };
    });
    const totals = { requests: 0, inputTokens: 0, outputTokens: 0, estimatedCostUsd: 0, unpricedModels: [] as string[] };
    for (const item of items) {
      totals.requests += item.requests;
      totals.inputTokens += item.inputTokens;
      totals.outputTokens += item.outputTokens;
      if (item.estimatedCostUsd === null) {
        if (!totals.unpricedModels.includes(item.model)) totals.unpricedModels.push(item.model);
      } else totals.estimatedCostUsd += item.estimatedCostUsd;
    }
    totals.estimatedCostUsd = roundUsd(totals.estimatedCostUsd);
    const [exports, sections] = await Promise.all([exportUsage(this.dataSource, tenant.dealershipId, range), this.sections.report(tenant, range)]);
    const estimatedCostUsd = roundUsd(Object.values(sections).reduce((sum, section) => sum + section.totals.estimatedCostUsd, totals.estimatedCostUsd));
    return { ...range, items, totals, exports, sections, estimatedCostUsd };
  }
}
