import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ADMIN_ROLES, CurrentTenant, Roles, type Tenant } from '@showroom/auth';
import { UsageQueryDto, resolveDayRange } from '@showroom/chat';
import { VoiceUsage } from '../voice-usage';

const round = (usd: number) => Math.round(usd * 1e6) / 1e6;

@ApiTags('voice')
@ApiBearerAuth()
@Roles(...ADMIN_ROLES)
@Controller('voice/usage')
export class VoiceUsageController {
  constructor(private readonly usage: VoiceUsage) {}

  /** Seconds transcribed, characters synthesized and estimated cost (VOICE_PRICES) per UTC day and provider, with totals; the same range rules as GET /usage. */
  @Get()
  async report(@CurrentTenant() tenant: Tenant, @Query() query: UsageQueryDto) {
    const range = resolveDayRange(query.from, query.to);
    const items = await this.usage.report(tenant, range);
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
    return { ...range, items, totals };
  }
}
