import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ListQueryDto, isBoundedCalendarDay, isBoundedInstant } from '@showroom/core';
import { IsOptional, IsString, IsUUID, MaxLength, ValidateBy } from 'class-validator';
import { CurrentTenant, Roles } from '../../guards/auth.decorators';
import type { Tenant } from '../../principal';
import { ADMIN_ROLES } from '../../roles';
import { AuditEventsService } from '../audit-events.service';

const IsTimeOrDay = () =>
  ValidateBy({
    name: 'isTimeOrDay',
    validator: { validate: (v) => isBoundedInstant(v) || isBoundedCalendarDay(v), defaultMessage: () => 'must be an ISO 8601 time or a day YYYY-MM-DD between 1970 and 9999' },
  });

export class AuditEventsQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ example: 'user.created', description: 'Exact action, e.g. auth.signed_in, auth.sign_in_failed, user.updated, api_key.revoked' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  action?: string;

  @ApiPropertyOptional({ description: 'Id of the user or API key that acted' })
  @IsOptional()
  @IsUUID()
  actor?: string;

  @ApiPropertyOptional({ example: '2026-01-01', description: 'Earliest time, inclusive (a day means its start, UTC)' })
  @IsOptional()
  @IsTimeOrDay()
  from?: string;

  @ApiPropertyOptional({ example: '2026-01-31', description: 'Latest time, inclusive (a day means its end, UTC)' })
  @IsOptional()
  @IsTimeOrDay()
  to?: string;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  declare cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 50 })
  declare limit?: number;
}

const isDay = (value: string) => value.length === 10;

@ApiTags('audit')
@ApiBearerAuth()
@Roles(...ADMIN_ROLES)
@Controller('audit-events')
export class AuditEventsController {
  constructor(private readonly events: AuditEventsService) {}

  /** The dealership's security events (sign-ins, failures, user and key changes), newest first. */
  @Get()
  list(@CurrentTenant() tenant: Tenant, @Query() query: AuditEventsQueryDto) {
    const from = query.from && new Date(isDay(query.from) ? `${query.from}T00:00:00.000Z` : query.from);
    const to = query.to && new Date(isDay(query.to) ? `${query.to}T23:59:59.999Z` : query.to);
    return this.events.list(tenant, { action: query.action, actor: query.actor, from: from || undefined, to: to || undefined }, query.cursor, query.limit);
  }
}
