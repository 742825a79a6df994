import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post, Query, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiConsumes, ApiTags } from '@nestjs/swagger';
import { ADMIN_ROLES, CurrentPrincipal, CurrentTenant, Principal, Roles, Tenant } from '@showroom/auth';
import { Idempotent, ListQueryDto, ShutdownState, streamProgress } from '@showroom/core';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import type { Response } from 'express';
import { DocumentEvents, type DocumentProgressEvent } from '../events/document-events';
import { DocumentsService, UploadedFile as StoredUpload } from '../documents.service';

export class UploadDocumentDto {
  @IsOptional()
  @IsString()
  @MaxLength(200)
  title?: string;
}

@ApiTags('knowledge')
@ApiBearerAuth()
@Controller('documents')
export class DocumentsController {
  constructor(
    private readonly documents: DocumentsService,
    private readonly events: DocumentEvents,
    private readonly shutdown: ShutdownState,
  ) {}

  /** 202 with the new document (status `queued`); 200 with the existing one for bytes already uploaded. */
  @Post()
  @Roles(...ADMIN_ROLES)
  @ApiConsumes('multipart/form-data')
  @Idempotent() // above the file interceptor: runs after it, so the file's bytes are part of the request
  @UseInterceptors(FileInterceptor('file'))
  async upload(
    @CurrentPrincipal() actor: Principal,
    @CurrentTenant() tenant: Tenant,
    @UploadedFile() file: StoredUpload | undefined,
    @Body() body: UploadDocumentDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { document, created } = await this.documents.upload(actor, tenant, file, body.title);
    res.status(created ? HttpStatus.ACCEPTED : HttpStatus.OK);
    return document;
  }

  @Get()
  list(@CurrentTenant() tenant: Tenant, @Query() query: ListQueryDto) {
    return this.documents.list(tenant, query.cursor, query.limit);
  }

  @Get(':id')
  get(@CurrentTenant() tenant: Tenant, @Param('id', ParseUUIDPipe) id: string) {
    return this.documents.get(tenant, id);
  }

  /** Server-Sent Events: `event: progress` with `{ documentId, status, progress, chunkCount, error }` until ready or failed. */
  @Get(':id/events')
  async progressEvents(
    @CurrentTenant() tenant: Tenant,
    @Param('id', ParseUUIDPipe) id: string,
    @Res() res: Response,
  ): Promise<void> {
    await streamProgress(res, {
      events: this.events.stream(tenant.dealershipId, id),
      shutdown: this.shutdown,
      isFinal: (event) => event.status === 'ready' || event.status === 'failed',
      current: async (): Promise<DocumentProgressEvent> => {
        const doc = await this.documents.get(tenant, id);
        return { documentId: doc.id, status: doc.status, progress: doc.progress, chunkCount: doc.chunkCount, error: doc.error };
      },
    });
  }

  /** 202: a new generation is queued; the current chunks stay searchable until it is ready. */
  @Post(':id/reindex')
  @Roles(...ADMIN_ROLES)
  @HttpCode(HttpStatus.ACCEPTED)
  reindex(@CurrentTenant() tenant: Tenant, @Param('id', ParseUUIDPipe) id: string) {
    return this.documents.reindex(tenant, id);
  }

  @Delete(':id')
  @Roles(...ADMIN_ROLES)
  @HttpCode(204)
  async delete(@CurrentTenant() tenant: Tenant, @Param('id', ParseUUIDPipe) id: string) {
    await this.documents.delete(tenant, id);
  }
}
