import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, CurrentTenant, ROLES, Roles, Tenant } from '@showroom/auth';
import { Idempotent, ShutdownState, streamProgress } from '@showroom/core';
import type { Response } from 'express';
import { pipeline } from 'node:stream/promises';
import type { ChatUser } from '../../conversations/conversation-access';
import { ExportEvents } from '../export-events';
import { progressEvent } from '../export.view';
import { ExportsService } from '../exports.service';
import { CreateConversationExportDto, ListExportsQueryDto } from './exports.dto';

/**
 * Conversation exports and the life cycle every export shares (reports are requested at
 * /reports). Signed-in users only, like conversations: API keys get 403.
 */
@ApiTags('exports')
@ApiBearerAuth()
@ApiForbiddenResponse({ description: 'API keys cannot use exports' })
@Roles(...ROLES)
@Controller()
export class ExportsController {
  constructor(
    private readonly exports: ExportsService,
    private readonly events: ExportEvents,
    private readonly shutdown: ShutdownState,
  ) {}

  /** 202 `{ id, kind, format, status: "queued", progress, sizeBytes, expiresAt, error, createdAt, … }`. */
  @Post('conversations/:id/exports')
  @Idempotent()
  @HttpCode(HttpStatus.ACCEPTED)
  exportConversation(@CurrentPrincipal() user: ChatUser, @CurrentTenant() tenant: Tenant, @Param('id', ParseUUIDPipe) id: string, @Body() body: CreateConversationExportDto) {
    return this.exports.exportConversation(user, tenant, id, body.format);
  }

  /** Newest first; the caller's own unless `?scope=dealership` (owners and admins). */
  @Get('exports')
  list(@CurrentPrincipal() user: ChatUser, @CurrentTenant() tenant: Tenant, @Query() query: ListExportsQueryDto) {
    return this.exports.list(user, tenant, query);
  }

  @Get('exports/:id')
  get(@CurrentPrincipal() user: ChatUser, @CurrentTenant() tenant: Tenant, @Param('id', ParseUUIDPipe) id: string) {
    return this.exports.get(user, tenant, id);
  }

  /** Server-Sent Events: `event: progress` with `{ exportId, status, progress, sizeBytes, error }` until ready, failed or expired. */
  @Get('exports/:id/events')
  async progress(@CurrentPrincipal() user: ChatUser, @CurrentTenant() tenant: Tenant, @Param('id', ParseUUIDPipe) id: string, @Res() res: Response): Promise<void> {
    await streamProgress(res, {
      events: this.events.stream(tenant.dealershipId, id),
      shutdown: this.shutdown,
      isFinal: (event) => event.status !== 'queued' && event.status !== 'processing',
      current: async () => progressEvent(await this.exports.get(user, tenant, id)),
    });
  }

  /** The file, streamed, as an attachment with a safe name; 410 EXPORT_EXPIRED once expired, 409 EXPORT_NOT_READY before. */
  @Get('exports/:id/download')
  async download(@CurrentPrincipal() user: ChatUser, @CurrentTenant() tenant: Tenant, @Param('id', ParseUUIDPipe) id: string, @Res() res: Response): Promise<void> {
    const file = await this.exports.download(user, tenant, id);
    res.status(200);
    // attachment() writes an ASCII fallback plus RFC 5987 filename* (content-disposition); set the type after it.
    res.attachment(file.fileName);
    res.setHeader('Content-Type', file.contentType);
    if (file.sizeBytes > 0) res.setHeader('Content-Length', String(file.sizeBytes));
    res.setHeader('Cache-Control', 'private, no-store');
    await pipeline(file.body, res).catch(() => {
      // The client went away, or storage failed after the headers: nothing more can be said.
      res.destroy();
    });
  }

  @Delete('exports/:id')
  @HttpCode(204)
  async delete(@CurrentPrincipal() user: ChatUser, @CurrentTenant() tenant: Tenant, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.exports.delete(user, tenant, id);
  }
}
