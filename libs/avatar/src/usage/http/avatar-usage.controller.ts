import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ADMIN_ROLES, CurrentTenant, Roles, type Tenant } from '@showroom/auth';
import { UsageQueryDto, resolveDayRange } from '@showroom/chat';
import { AvatarUsage } from '../avatar-usage';

@ApiTags('avatar')
@ApiBearerAuth()
@Roles(...ADMIN_ROLES)
@Controller('avatar/usage')
export class AvatarUsageController {
  constructor(private readonly usage: AvatarUsage) {}

  /** Avatar sessions, seconds, minutes and estimated cost (AVATAR_PRICE_PER_MINUTE_USD) per UTC day and provider, with totals; the same range rules as GET /usage. */
  @Get()
  async report(@CurrentTenant() tenant: Tenant, @Query() query: UsageQueryDto) {
    const range = resolveDayRange(query.from, query.to);
    return { ...range, ...(await this.usage.report(tenant, range)) };
  }
}
