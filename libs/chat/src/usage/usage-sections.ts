import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { Tenant } from '@showroom/auth';
import type { DayRange } from './usage-range';

/** What a capability reports for GET /usage: its lines and totals, with the estimated cost in USD. */
export interface UsageSectionReport {
  items: object[];
  totals: { estimatedCostUsd: number } & Record<string, unknown>;
}

export interface UsageSectionSource {
  report(tenant: Tenant, range: DayRange): Promise<UsageSectionReport>;
}

/**
 * Marks a provider as the usage source of a capability that chat may not import (voice, avatar):
 * `@UsageSection('voice')` on a class with `report(tenant, range)`. GET /usage shows each under
 * its key, so admins read one report and one total cost; chat learns of them at boot, as the
 * gateway learns socket commands, without depending on those libs.
 */
export const UsageSection = DiscoveryService.createDecorator<string>();

@Injectable()
export class UsageSections implements OnModuleInit {
  private sources: { key: string; source: UsageSectionSource }[] = [];

  constructor(private readonly discovery: DiscoveryService) {}

  onModuleInit(): void {
    const found = this.discovery.getProviders({ metadataKey: UsageSection.KEY });
    const keys = new Set<string>();
    this.sources = found.map((wrapper) => {
      const key = this.discovery.getMetadataByDecorator(UsageSection, wrapper)!;
      // Nest may list one provider once per module that exports it; a key is reported once.
      return { key, source: wrapper.instance as UsageSectionSource };
    }).filter(({ key }) => (keys.has(key) ? false : keys.add(key)));
  }

  async report(tenant: Tenant, range: DayRange): Promise<Record<string, UsageSectionReport>> {
    const reports = await Promise.all(this.sources.map(async ({ key, source }) => [key, await source.report(tenant, range)] as const));
    return Object.fromEntries(reports);
  }
}
