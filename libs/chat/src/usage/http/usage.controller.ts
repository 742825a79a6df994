import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ADMIN_ROLES, CurrentTenant, Roles, Tenant } from '@showroom/auth';
import { IsBoundedCalendarDay } from '@showroom/core';
import { IsOptional } from 'class-validator';
import { UsageService } from '../usage.service';
import { resolveDayRange } from '../usage-range';

export class UsageQueryDto {
  @ApiPropertyOptional({ example: '2026-01-01', description: 'First UTC day, inclusive; defaults to 29 days before `to`' })
  @IsOptional()
  @IsBoundedCalendarDay()
  from?: string;

  @ApiPropertyOptional({ example: '2026-01-30', description: 'Last UTC day, inclusive; defaults to today' })
  @IsOptional()
  @IsBoundedCalendarDay()
  to?: string;
}

@ApiTags('chat')
@ApiBearerAuth()
@Roles(...ADMIN_ROLES)
@Controller('usage')
export class UsageController {
  constructor(private readonly usage: UsageService) {}

  /** LLM requests, tokens and estimated cost (LLM_PRICES) per UTC day and model, with totals; last 30 days by default. */
  @Get()
  report(@CurrentTenant() tenant: Tenant, @Query() query: UsageQueryDto) {
    return this.usage.report(tenant, resolveDayRange(query.from, query.to));
  }
}
