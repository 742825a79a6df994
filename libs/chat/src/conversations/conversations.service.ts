import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectTenantRepositories, Tenant, TenantRepositories } from '@showroom/auth';
import { AppException, Page, afterCursor, toPage } from '@showroom/core';
import { randomUUID } from 'node:crypto';
import { FindOptionsWhere } from 'typeorm';
import { ChatUser, canSee, canSeeAllOfDealership } from './conversation-access';
import { Conversation } from './conversation.entity';
import {
  ConversationSummaryView,
  ConversationView,
  CreatedConversationView,
  MessageView,
  conversationSummaryView,
  createdConversationView,
  messageView,
} from './conversation.views';
import { ChatMessage } from './message.entity';
import { visibleConversation } from './visible-conversation';

/** `mine` (the default) lists the caller's own conversations; `dealership` every one (owners and admins). */
export type ConversationScope = 'mine' | 'dealership';

/**
 * Conversations and their messages as the REST endpoints show them (the answer pipeline
 * writes messages through AnswerTurns). Every read and write is scoped to the caller's
 * dealership (TenantRepositories) and then to what the caller may see
 * (conversation-access.ts); anything else is 404.
 */
@Injectable()
export class ConversationsService {
  constructor(
    @InjectTenantRepositories(Conversation) private readonly conversations: TenantRepositories<Conversation>,
    @InjectTenantRepositories(ChatMessage) private readonly messages: TenantRepositories<ChatMessage>,
  ) {}

  async create(user: ChatUser, tenant: Tenant, input: { title?: string | null } = {}): Promise<CreatedConversationView> {
    const row = await this.conversations.for(tenant).insert({
      id: randomUUID(),
      userId: user.userId,
      title: input.title?.trim() || null,
      createdAt: new Date(),
      updatedAt: new Date(),
    });
    return createdConversationView(row);
  }

  /** Newest first by creation: a cursor over a fixed column, so pages never skip or repeat a conversation that gets a new message meanwhile. */
  async list(user: ChatUser, tenant: Tenant, query: { scope?: ConversationScope; cursor?: string; limit?: number } = {}): Promise<Page<ConversationSummaryView>> {
    const scope = query.scope ?? 'mine';
    if (scope === 'dealership' && !canSeeAllOfDealership(user)) {
      throw new AppException(HttpStatus.FORBIDDEN, 'FORBIDDEN', 'Only owners and admins can list every conversation of the dealership.');
    }
    const limit = query.limit ?? 50;
    const owner: FindOptionsWhere<Conversation> = scope === 'mine' ? { userId: user.userId } : {};
    const where = (afterCursor(query.cursor) ?? [{}]).map((w) => ({ ...w, ...owner }));
    const rows = await this.conversations.for(tenant).find({ where, order: { createdAt: 'DESC', id: 'DESC' }, take: limit + 1 });
    return toPage(rows, limit, conversationSummaryView);
  }

  /** The conversation with all its messages, oldest first. */
  async get(user: ChatUser, tenant: Tenant, id: string): Promise<ConversationView> {
    const conversation = await this.visible(user, tenant, id);
    const messages = await this.messages.for(tenant).find({ where: { conversationId: id }, order: { seq: 'ASC' } });
    return { ...conversationSummaryView(conversation), messages: messages.map(messageView) };
  }

  /** Deletes the conversation, its messages and their feedback (cascade). Usage already counted stays. */
  async delete(user: ChatUser, tenant: Tenant, id: string): Promise<void> {
    await this.visible(user, tenant, id);
    await this.conversations.for(tenant).delete({ id });
  }

  /** A message of a conversation the caller can see (404 otherwise), e.g. to resume its stream. */
  async visibleMessage(user: ChatUser, tenant: Tenant, messageId: string): Promise<MessageView> {
    const message = await this.messages.for(tenant).findOneBy({ id: messageId });
    const conversation = message && (await this.conversations.for(tenant).findOneBy({ id: message.conversationId }));
    if (!message || !conversation || !canSee(user, conversation)) {
      throw new AppException(HttpStatus.NOT_FOUND, 'MESSAGE_NOT_FOUND', 'No such message, or it is not yours to see.');
    }
    return messageView(message);
  }

  private visible(user: ChatUser, tenant: Tenant, id: string): Promise<Conversation> {
    return visibleConversation(this.conversations.for(tenant), user, id);
  }
}
