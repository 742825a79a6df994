import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ADMIN_ROLES, CurrentPrincipal, CurrentTenant, Roles, Tenant } from '@showroom/auth';
import { Idempotent, IsBoundedCalendarDay } from '@showroom/core';
import { FILE_FORMATS, type FileFormat } from '@showroom/files';
import { IsIn, IsOptional } from 'class-validator';
import type { ChatUser } from '../../conversations/conversation-access';
import { REPORT_KINDS, type ReportKind } from '../../exports/export.entity';
import { ExportsService } from '../../exports/exports.service';
import { resolveDayRange } from '../../usage/usage-range';

export class CreateReportDto {
  @ApiProperty({ enum: REPORT_KINDS })
  @IsIn(REPORT_KINDS)
  kind: ReportKind;

  @ApiPropertyOptional({ example: '2026-01-01', description: 'First UTC day, inclusive; defaults to 29 days before `to`' })
  @IsOptional()
  @IsBoundedCalendarDay()
  from?: string;

  @ApiPropertyOptional({ example: '2026-01-30', description: 'Last UTC day, inclusive; defaults to today' })
  @IsOptional()
  @IsBoundedCalendarDay()
  to?: string;

  @ApiProperty({ enum: FILE_FORMATS })
  @IsIn(FILE_FORMATS)
  format: FileFormat;
}

/** Dealership reports, for owners and admins; the same life cycle as exports (GET /exports/:id…). */
@ApiTags('exports')
@ApiBearerAuth()
@Roles(...ADMIN_ROLES)
@Controller('reports')
export class ReportsController {
  constructor(private readonly exports: ExportsService) {}

  /** 202 with the export (`kind` is the report's); `from`/`to` are inclusive UTC days, at most 366 apart. */
  @Post()
  @Idempotent()
  @HttpCode(HttpStatus.ACCEPTED)
  request(@CurrentPrincipal() user: ChatUser, @CurrentTenant() tenant: Tenant, @Body() body: CreateReportDto) {
    return this.exports.requestReport(user, tenant, body.kind, resolveDayRange(body.from, body.to), body.format);
  }
}
