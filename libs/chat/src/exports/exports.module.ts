import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule, provideTenantRepositories } from '@showroom/auth';
import { FilesModule } from '@showroom/files';
import { ChatModule } from '../chat.module';
import { Conversation } from '../conversations/conversation.entity';
import { ChatMessage } from '../conversations/message.entity';
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
  imports: [TypeOrmModule.forFeature([FileExport, Conversation, ChatMessage]), AuthModule, ChatModule, FilesModule],
  providers: [
    provideTenantRepositories(FileExport),
    // The access check and message count at request and download read rows, not whole conversations.
    provideTenantRepositories(Conversation),
    provideTenantRepositories(ChatMessage),
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
