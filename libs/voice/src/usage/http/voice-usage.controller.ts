import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ADMIN_ROLES, CurrentTenant, Roles, type Tenant } from '@showroom/auth';
import { UsageQueryDto, resolveDayRange } from '@showroom/chat';
import { VoiceUsage } from '../voice-usage';

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
    return { ...range, ...(await this.usage.report(tenant, range)) };
  }
}
