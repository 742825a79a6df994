import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { FILE_FORMATS, type FileFormat } from '@showroom/files';
import { ListQueryDto } from '@showroom/core';
import { IsIn, IsOptional } from 'class-validator';
import { REPORT_KINDS, type ReportKind } from '../export.entity';
import type { ExportScope } from '../exports.service';

export class CreateConversationExportDto {
  @ApiProperty({ enum: FILE_FORMATS })
  @IsIn(FILE_FORMATS)
  format: FileFormat;
}

export class ListExportsQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ enum: ['mine', 'dealership'], description: '`dealership` lists every export of the dealership (owners and admins)' })
  @IsOptional()
  @IsIn(['mine', 'dealership'])
  scope?: ExportScope;
}

export { REPORT_KINDS, type ReportKind };
