import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { InjectTenantRepositories, Tenant, TenantRepositories } from '@showroom/auth';
import { AppException } from '@showroom/core';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ChatUser, canSee } from '../conversations/conversation-access';
import { Conversation } from '../conversations/conversation.entity';
import { ChatMessage } from '../conversations/message.entity';
import { FeedbackRating, MessageFeedback } from './message-feedback.entity';

export interface FeedbackView {
  id: string;
  messageId: string;
  rating: FeedbackRating;
  comment: string | null;
  createdAt: string;
  updatedAt: string;
}

const messageNotFound = () => new AppException(HttpStatus.NOT_FOUND, 'MESSAGE_NOT_FOUND', 'No such message, or it is not yours to see.');

function feedbackView(row: MessageFeedback): FeedbackView {
  return { id: row.id, messageId: row.messageId, rating: row.rating, comment: row.comment, createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString() };
}

/** Thumbs up or down on answers: one per user per message, changeable. */
@Injectable()
export class FeedbackService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectTenantRepositories(ChatMessage) private readonly messages: TenantRepositories<ChatMessage>,
    @InjectTenantRepositories(Conversation) private readonly conversations: TenantRepositories<Conversation>,
    @InjectTenantRepositories(MessageFeedback) private readonly feedback: TenantRepositories<MessageFeedback>,
  ) {}

  /**
   * Records the caller's opinion of an assistant message they can see (the conversation
   * rules apply; anything else is 404), replacing their earlier one whole: a new rating
   * without a comment clears the old comment.
   */
  async rate(user: ChatUser, tenant: Tenant, messageId: string, input: { rating: FeedbackRating; comment?: string | null }): Promise<FeedbackView> {
    const message = await this.messages.for(tenant).findOneBy({ id: messageId });
    const conversation = message && (await this.conversations.for(tenant).findOneBy({ id: message.conversationId }));
    if (!message || !conversation || !canSee(user, conversation)) throw messageNotFound();
    if (message.role !== 'assistant') {
      throw new AppException(HttpStatus.UNPROCESSABLE_ENTITY, 'NOT_AN_ANSWER', 'Feedback is for the assistant\'s answers, not for questions.');
    }
    if (message.status === 'streaming') {
      throw new AppException(HttpStatus.CONFLICT, 'ANSWER_IN_PROGRESS', 'This answer is still being written; rate it once it is done.');
    }
    // One atomic upsert on (message_id, user_id): two clicks racing on two pods leave one row.
    // Raw SQL, so the tenant is stamped here by hand (TenantScopedRepository has no upsert).
    await this.dataSource.query(
      `INSERT INTO message_feedback (id, dealership_id, message_id, user_id, rating, comment)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (message_id, user_id) DO UPDATE SET rating = EXCLUDED.rating, comment = EXCLUDED.comment, updated_at = now()`,
      [randomUUID(), tenant.dealershipId, messageId, user.userId, input.rating, input.comment?.trim() || null],
    );
    const row = await this.feedback.for(tenant).findOneBy({ messageId, userId: user.userId });
    // The message was deleted between the upsert and this read (its conversation went away).
    if (!row) throw messageNotFound();
    return feedbackView(row);
  }
}
