import { HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import { InjectTenantRepositories, Tenant, TenantRepositories } from '@showroom/auth';
import { APP_CONFIG, AppConfig, AppException, Outbox, Page, afterCursor, toPage } from '@showroom/core';
import { BLOB_STORAGE, type BlobStorage, type FileFormat, type OpenedBlob } from '@showroom/files';
import { randomUUID } from 'node:crypto';
import type { FindOptionsWhere } from 'typeorm';
import { ChatUser, canSeeAllOfDealership } from '../conversations/conversation-access';
import { Conversation } from '../conversations/conversation.entity';
import { ChatMessage } from '../conversations/message.entity';
import { visibleConversation } from '../conversations/visible-conversation';
import type { DayRange } from '../usage/usage-range';
import { ExportEvents } from './export-events';
import { assertExportQuota } from './export-quota';
import { FileExport, ReportKind } from './export.entity';
import { ExportView, exportView, progressEvent } from './export.view';
import { GenerateExportJob } from './exports.jobs';

export type ExportScope = 'mine' | 'dealership';

export interface ExportDownload {
  body: OpenedBlob['body'];
  sizeBytes: number;
  contentType: string;
  fileName: string;
}

const HOUR_MS = 3_600_000;

/** 404, not 403: whether someone else's export exists is not the caller's business. */
export const exportNotFound = () => new AppException(HttpStatus.NOT_FOUND, 'EXPORT_NOT_FOUND', 'No such export, or it is not yours to see.');
const expired = () => new AppException(HttpStatus.GONE, 'EXPORT_EXPIRED', 'This export has expired and its file was deleted; request a new one.');

/**
 * Requesting exports and reports and handing out their files. Nothing slow happens here:
 * the row and its job are written in one outbox transaction (after the quota check) and the
 * worker renders. Staff see their own exports; owners and admins every one of their
 * dealership; another dealership's are not found.
 */
@Injectable()
export class ExportsService {
  private readonly logger = new Logger(ExportsService.name);

  constructor(
    @InjectTenantRepositories(FileExport) private readonly exports: TenantRepositories<FileExport>,
    @InjectTenantRepositories(Conversation) private readonly conversations: TenantRepositories<Conversation>,
    @InjectTenantRepositories(ChatMessage) private readonly messages: TenantRepositories<ChatMessage>,
    @Inject(BLOB_STORAGE) private readonly blobs: BlobStorage,
    private readonly outbox: Outbox,
    private readonly events: ExportEvents,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** A conversation the caller can see (404 otherwise), no longer than EXPORT_MAX_MESSAGES (422). */
  async exportConversation(user: ChatUser, tenant: Tenant, conversationId: string, format: FileFormat): Promise<ExportView> {
    await visibleConversation(this.conversations.for(tenant), user, conversationId);
    const count = await this.messages.for(tenant).count({ conversationId });
    const max = this.config.exports.maxMessages;
    if (count > max) {
      throw new AppException(HttpStatus.UNPROCESSABLE_ENTITY, 'EXPORT_TOO_LARGE', `This conversation has ${count} messages; an export holds at most ${max}.`, [
        { field: 'conversationId', message: `has more than ${max} messages` },
      ]);
    }
    return this.create(user, tenant, { kind: 'conversation', format, conversationId, rangeFrom: null, rangeTo: null });
  }

  /** Owners and admins (the controller checks the role). */
  async requestReport(user: ChatUser, tenant: Tenant, kind: ReportKind, range: DayRange, format: FileFormat): Promise<ExportView> {
    return this.create(user, tenant, { kind, format, conversationId: null, rangeFrom: range.from, rangeTo: range.to });
  }

  async list(user: ChatUser, tenant: Tenant, query: { scope?: ExportScope; cursor?: string; limit?: number } = {}): Promise<Page<ExportView>> {
    const scope = query.scope ?? 'mine';
    if (scope === 'dealership' && !canSeeAllOfDealership(user)) {
      throw new AppException(HttpStatus.FORBIDDEN, 'FORBIDDEN', 'Only owners and admins can list every export of the dealership.');
    }
    const limit = query.limit ?? 50;
    const owner: FindOptionsWhere<FileExport> = scope === 'mine' ? { requestedBy: user.userId } : {};
    const where = (afterCursor(query.cursor) ?? [{}]).map((w) => ({ ...w, ...owner }));
    const rows = await this.exports.for(tenant).find({ where, order: { createdAt: 'DESC', id: 'DESC' }, take: limit + 1 });
    return toPage(rows, limit, exportView);
  }

  async get(user: ChatUser, tenant: Tenant, id: string): Promise<ExportView> {
    return exportView(await this.visible(user, tenant, id));
  }

  /**
   * The file, streamed from blob storage. Access is checked again now (the caller may have
   * lost the conversation or the admin role since asking): 404 as if it never existed;
   * expired is 410 EXPORT_EXPIRED; not ready yet is 409 EXPORT_NOT_READY.
   */
  async download(user: ChatUser, tenant: Tenant, id: string): Promise<ExportDownload> {
    const row = await this.visible(user, tenant, id);
    if (row.status === 'expired' || (row.status === 'ready' && row.expiresAt.getTime() <= Date.now())) throw expired();
    if (row.status !== 'ready' || !row.blobId || !row.fileName || !row.contentType) {
      throw new AppException(HttpStatus.CONFLICT, 'EXPORT_NOT_READY', row.status === 'failed' ? `This export failed: ${row.error ?? 'unknown reason'}` : 'This export is not ready yet; follow its progress at /exports/:id/events.');
    }
    if (row.kind === 'conversation' && row.conversationId) await visibleConversation(this.conversations.for(tenant), user, row.conversationId).catch(() => Promise.reject(exportNotFound()));
    const blob = await this.blobs.open(tenant, row.blobId);
    if (!blob) throw expired(); // deleted by a sweep between the read and now
    return { body: blob.body, sizeBytes: blob.sizeBytes, contentType: row.contentType, fileName: row.fileName };
  }

  /** Deletes the row, then the file. A job still rendering finds the row gone and discards its file. */
  async delete(user: ChatUser, tenant: Tenant, id: string): Promise<void> {
    const row = await this.visible(user, tenant, id);
    await this.exports.for(tenant).delete({ id });
    if (row.blobId) await this.blobs.delete(tenant, row.blobId).catch((e: Error) => this.logger.warn(`export ${id}: file left for the sweep: ${e.message}`));
  }

  private async create(user: ChatUser, tenant: Tenant, spec: Pick<FileExport, 'kind' | 'format' | 'conversationId' | 'rangeFrom' | 'rangeTo'>): Promise<ExportView> {
    const row = await this.outbox.transaction(async (tx) => {
      await assertExportQuota(tx.manager, tenant, this.config.exports);
      const inserted = await this.exports.for(tenant, tx.manager).insert({
        id: randomUUID(),
        requestedBy: user.userId,
        ...spec,
        status: 'queued',
        progress: 0,
        fileName: null,
        contentType: null,
        sizeBytes: null,
        blobId: null,
        error: null,
        expiresAt: new Date(Date.now() + this.config.exports.ttlHours * HOUR_MS),
        createdAt: new Date(),
        updatedAt: new Date(),
        completedAt: null,
      });
      await tx.enqueue(GenerateExportJob, { dealershipId: tenant.dealershipId, exportId: inserted.id });
      return inserted;
    });
    const view = exportView(row);
    await this.events.publish(tenant.dealershipId, progressEvent(view));
    return view;
  }

  /** The export if the caller may see it now: their own, or any of the dealership's for owners and admins (reports: admins only). */
  private async visible(user: ChatUser, tenant: Tenant, id: string): Promise<FileExport> {
    const row = await this.exports.for(tenant).findOneBy({ id });
    if (!row) throw exportNotFound();
    const admin = canSeeAllOfDealership(user);
    if (row.kind !== 'conversation' && !admin) throw exportNotFound();
    if (row.requestedBy !== user.userId && !admin) throw exportNotFound();
    return row;
  }
}
