import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { provideTenantRepositories } from '@showroom/auth';
import { FilesModule } from '@showroom/files';
import { ChatModule } from '../chat.module';
import { ReportDocuments } from '../reports/report-documents';
import { ReportQueries } from '../reports/report-queries';
import { ExportContent } from './export-content';
import { ExportDirectory } from './export-directory';
import { ExportEvents } from './export-events';
import { ExportSweeper } from './export-sweeper';
import { FileExport } from './export.entity';
import { ExportsService } from './exports.service';
import { GenerateExportHandler } from './generate-export.handler';

/**
 * Conversation exports and dealership reports: the rows, the file-generation handler and
 * the expiry sweep (imported by both apps). It builds on chat (conversations, usage) and
 * files (renderers, blob storage); routes are in ExportsHttpModule (api only).
 */
@Module({
  imports: [TypeOrmModule.forFeature([FileExport]), ChatModule, FilesModule],
  providers: [
    provideTenantRepositories(FileExport),
    ExportsService,
    ExportEvents,
    ExportDirectory,
    ExportContent,
    ReportQueries,
    ReportDocuments,
    GenerateExportHandler,
    ExportSweeper,
  ],
  exports: [ExportsService, ExportEvents, ReportQueries],
})
export class ExportsModule {}
