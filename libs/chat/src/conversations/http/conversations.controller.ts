import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, CurrentTenant, ROLES, Roles, Tenant } from '@showroom/auth';
import { Idempotent } from '@showroom/core';
import type { ChatUser } from '../conversation-access';
import { ConversationsService } from '../conversations.service';
import { CreateConversationDto, ListConversationsQueryDto } from './conversations.dto';

/**
 * Conversations of signed-in users. `@Roles(...ROLES)` admits every user role and refuses
 * API keys (403): see conversation-access.ts for why, and for who sees which conversation.
 */
@ApiTags('chat')
@ApiBearerAuth()
@ApiForbiddenResponse({ description: 'API keys cannot use conversations; use /v1/chat/completions' })
@Roles(...ROLES)
@Controller('conversations')
export class ConversationsController {
  constructor(private readonly conversations: ConversationsService) {}

  /** 201 `{ id, title, createdAt }`. */
  @Post()
  @Idempotent()
  create(@CurrentPrincipal() user: ChatUser, @CurrentTenant() tenant: Tenant, @Body() body: CreateConversationDto) {
    return this.conversations.create(user, tenant, body);
  }

  /** Newest first; the caller's own unless `?scope=dealership` (owners and admins). */
  @Get()
  list(@CurrentPrincipal() user: ChatUser, @CurrentTenant() tenant: Tenant, @Query() query: ListConversationsQueryDto) {
    return this.conversations.list(user, tenant, query);
  }

  @Get(':id')
  get(@CurrentPrincipal() user: ChatUser, @CurrentTenant() tenant: Tenant, @Param('id', ParseUUIDPipe) id: string) {
    return this.conversations.get(user, tenant, id);
  }

  @Delete(':id')
  @HttpCode(204)
  async delete(@CurrentPrincipal() user: ChatUser, @CurrentTenant() tenant: Tenant, @Param('id', ParseUUIDPipe) id: string) {
    await this.conversations.delete(user, tenant, id);
  }
}
