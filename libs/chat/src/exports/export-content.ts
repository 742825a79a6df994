import { Inject, Injectable } from '@nestjs/common';
import type { Tenant } from '@showroom/auth';
import { APP_CONFIG, AppConfig, AppException } from '@showroom/core';
import { exportFileName } from './export-file-name';
import type { FileDocument } from '@showroom/files';
import { canSeeAllOfDealership } from '../conversations/conversation-access';
import { ConversationsService } from '../conversations/conversations.service';
import { ReportDocuments } from '../reports/report-documents';
import { conversationDocument } from './conversation-document';
import { ExportDirectory } from './export-directory';
import { ExportFailure } from './export-failure';
import type { FileExport, ReportKind } from './export.entity';

/**
 * What an export says, read when the worker renders it, with the requester's access checked
 * again (they may have been deactivated, or lost the admin role, since asking).
 */
@Injectable()
export class ExportContent {
  constructor(
    private readonly directory: ExportDirectory,
    private readonly conversations: ConversationsService,
    private readonly reports: ReportDocuments,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async build(tenant: Tenant, row: FileExport, now = new Date()): Promise<{ document: FileDocument; fileName: string }> {
    const requester = await this.directory.activeChatUser(tenant, row.requestedBy);
    if (!requester) throw new ExportFailure('The person who asked for this export is no longer an active user.');
    const dealershipName = await this.directory.dealershipName(tenant);
    const day = now.toISOString().slice(0, 10);

    if (row.kind === 'conversation') {
      const conversation = await this.conversations.get(requester, tenant, row.conversationId!).catch((error: unknown) => {
        if (error instanceof AppException && error.status === 404) throw new ExportFailure('The conversation was deleted, or is no longer yours to see.');
        throw error;
      });
      const max = this.config.exports.maxMessages;
      if (conversation.messages.length > max) throw new ExportFailure(`The conversation has ${conversation.messages.length} messages; an export holds at most ${max}.`);
      const author = (await this.directory.user(tenant, conversation.userId)) ?? { name: 'Former user', role: 'staff' };
      const document = conversationDocument({ dealershipName, conversation, author, exportedAt: now });
      return { document, fileName: exportFileName(conversation.title ?? 'Conversation', day, row.format) };
    }

    if (!canSeeAllOfDealership(requester)) throw new ExportFailure('Reports are for owners and admins; the requester no longer has that role.');
    const kind = row.kind as ReportKind;
    const document = await this.reports.build(tenant, kind, { from: row.rangeFrom!, to: row.rangeTo! }, dealershipName, now);
    return { document, fileName: exportFileName(`${kind} report ${row.rangeFrom} to ${row.rangeTo}`, day, row.format) };
  }
}
