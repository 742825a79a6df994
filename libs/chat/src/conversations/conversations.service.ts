import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { InjectTenantRepositories, Tenant, TenantRepositories } from '@showroom/auth';
import { APP_CONFIG, AppConfig, AppException, Page, afterCursor, toPage } from '@showroom/core';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, FindOptionsWhere } from 'typeorm';
import { UsageService } from '../usage/usage.service';
import type { Citation } from './citation';
import { ChatUser, canSee, canSeeAllOfDealership, conversationNotFound } from './conversation-access';
import { titleFromMessage } from './conversation-title';
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
import { ChatMessage, MessageError, MessageRole } from './message.entity';

/** `mine` (the default) lists the caller's own conversations; `dealership` every one (owners and admins). */
export type ConversationScope = 'mine' | 'dealership';

/** How an answer ended, as the answer pipeline reports it. */
export interface AssistantOutcome {
  content: string;
  citations: Citation[];
  status: 'complete' | 'interrupted' | 'failed';
  error?: MessageError | null;
  /** The model that was called; null when none was (then no usage is counted). */
  model: string | null;
  inputTokens: number;
  outputTokens: number;
  firstTokenMs: number | null;
  latencyMs: number | null;
}

/** A message as the prompt builder needs it. */
export interface HistoryMessage {
  id: string;
  role: MessageRole;
  content: string;
  createdAt: string;
}

export interface AnswerContext {
  conversation: ConversationSummaryView;
  /** The most recent complete messages, oldest first (token budgeting is the prompt builder's job). */
  history: HistoryMessage[];
}

export const DEFAULT_HISTORY_LIMIT = 40;

/**
 * Conversations and their messages, for the REST endpoints and for the answer pipeline.
 * Every read and write is scoped to the caller's dealership (TenantRepositories) and then to
 * what the caller may see (conversation-access.ts); anything else is 404.
 */
@Injectable()
export class ConversationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectTenantRepositories(Conversation) private readonly conversations: TenantRepositories<Conversation>,
    @InjectTenantRepositories(ChatMessage) private readonly messages: TenantRepositories<ChatMessage>,
    private readonly usage: UsageService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
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

  // ---- for the answer pipeline (POST /conversations/:id/messages) ----

  /** Checks the caller may use the conversation (404 otherwise) and returns it with recent history. */
  async findForAnswer(user: ChatUser, tenant: Tenant, conversationId: string, historyLimit = DEFAULT_HISTORY_LIMIT): Promise<AnswerContext> {
    const conversation = await this.visible(user, tenant, conversationId);
    // Failed, interrupted and in-flight answers are not fed back to the model.
    const recent = await this.messages.for(tenant).find({ where: { conversationId, status: 'complete' }, order: { seq: 'DESC' }, take: historyLimit });
    return {
      conversation: conversationSummaryView(conversation),
      history: recent.reverse().map((m) => ({ id: m.id, role: m.role, content: m.content, createdAt: m.createdAt.toISOString() })),
    };
  }

  /**
   * Stores the user's question. In one transaction that holds the conversation's row: the
   * access check (404 if it was deleted meanwhile), the message, the default title (the first
   * user message, cut to about 80 characters) and the last-activity time.
   */
  async appendUserMessage(user: ChatUser, tenant: Tenant, conversationId: string, content: string): Promise<MessageView> {
    this.assertContent(content);
    return this.dataSource.transaction((manager) => this.insertUserMessage(user, tenant, conversationId, content, manager));
  }

  /** Inside the caller's transaction: holds the conversation's row, checks access, stores the question. */
  private async insertUserMessage(user: ChatUser, tenant: Tenant, conversationId: string, content: string, manager: EntityManager): Promise<MessageView> {
    const conversation = await this.lockVisible(user, tenant, conversationId, manager);
    const message = await this.messages.for(tenant, manager).insert({
      id: randomUUID(),
      conversationId,
      role: 'user',
      content,
      citations: [],
      status: 'complete',
      error: null,
      model: null,
      createdAt: new Date(),
    });
    await this.conversations.for(tenant, manager).update({ id: conversationId }, { updatedAt: new Date(), ...(conversation.title === null ? { title: titleFromMessage(content) } : {}) });
    return messageView(message);
  }

  /**
   * appendUserMessage and startAssistantMessage in one transaction (one pooled connection
   * instead of two): the question stored and the answer opened as `streaming`.
   */
  async beginTurn(user: ChatUser, tenant: Tenant, conversationId: string, content: string): Promise<{ userMessage: MessageView; assistantMessage: MessageView }> {
    this.assertContent(content);
    return this.dataSource.transaction(async (manager) => {
      const userMessage = await this.insertUserMessage(user, tenant, conversationId, content, manager);
      return { userMessage, assistantMessage: await this.insertOpenAnswer(tenant, conversationId, manager) };
    });
  }

  /**
   * Opens the assistant's answer as an empty `streaming` message, so the client has its id
   * from the first token on. The caller has already checked access (findForAnswer /
   * appendUserMessage); this only makes sure the conversation still exists.
   */
  async startAssistantMessage(tenant: Tenant, conversationId: string): Promise<MessageView> {
    return this.dataSource.transaction(async (manager) => {
      // FOR SHARE: a concurrent delete waits for this insert instead of breaking its foreign key.
      const conversation = await this.conversations.for(tenant, manager).findOne({ where: { id: conversationId }, lock: { mode: 'pessimistic_read' } });
      if (!conversation) throw conversationNotFound();
      return this.insertOpenAnswer(tenant, conversationId, manager);
    });
  }

  /** An empty assistant message in `streaming` state, inside the caller's transaction. */
  private async insertOpenAnswer(tenant: Tenant, conversationId: string, manager: EntityManager): Promise<MessageView> {
    const message = await this.messages.for(tenant, manager).insert({
      id: randomUUID(),
      conversationId,
      role: 'assistant',
      content: '',
      citations: [],
      status: 'streaming',
      error: null,
      model: null,
      createdAt: new Date(),
    });
    return messageView(message);
  }

  /**
   * Closes a `streaming` answer: the message's final text, citations, status and
   * measurements; the day's LLM usage (when a model was called); the conversation's
   * last-activity time. One SQL statement, so it is atomic and the day's usage row — one per
   * dealership and model, shared by every answer — stays locked only while Postgres runs it,
   * never while this process is busy elsewhere (a transaction held across event-loop turns
   * made concurrent answers queue on that row). Safe to call twice: only a `streaming`
   * message is finished, so a second call changes nothing and counts nothing. Returns null
   * when the message is gone (the conversation was deleted mid-answer); the tokens spent are
   * still counted.
   */
  async finishAssistantMessage(tenant: Tenant, messageId: string, outcome: AssistantOutcome): Promise<MessageView | null> {
    const rows = (await this.dataSource.query(
      `WITH finished AS (
         UPDATE messages SET content = $3, citations = $4, status = $5, error = $6, model = $7,
                input_tokens = $8, output_tokens = $9, first_token_ms = $10, latency_ms = $11
          WHERE id = $2 AND dealership_id = $1 AND role = 'assistant' AND status = 'streaming'
          RETURNING *),
       counted AS (
         INSERT INTO llm_usage_daily (dealership_id, day, model, requests, input_tokens, output_tokens)
         SELECT $1, (now() AT TIME ZONE 'UTC')::date, $7, 1, $8, $9 WHERE $7::text IS NOT NULL
         ON CONFLICT (dealership_id, day, model) DO UPDATE SET
           requests = llm_usage_daily.requests + 1,
           input_tokens = llm_usage_daily.input_tokens + EXCLUDED.input_tokens,
           output_tokens = llm_usage_daily.output_tokens + EXCLUDED.output_tokens),
       touched AS (
         UPDATE conversations SET updated_at = now() WHERE id IN (SELECT conversation_id FROM finished) AND dealership_id = $1)
       SELECT * FROM finished`,
      [
        tenant.dealershipId,
        messageId,
        outcome.content,
        JSON.stringify(outcome.citations),
        outcome.status,
        outcome.error ? JSON.stringify(outcome.error) : null,
        outcome.model,
        Math.max(0, Math.round(outcome.inputTokens)),
        Math.max(0, Math.round(outcome.outputTokens)),
        outcome.firstTokenMs === null ? null : Math.round(outcome.firstTokenMs),
        outcome.latencyMs === null ? null : Math.round(outcome.latencyMs),
      ],
    )) as { id: string; role: MessageRole; content: string; citations: Citation[]; status: ChatMessage['status']; created_at: Date }[];
    if (rows.length > 0) {
      const [row] = rows;
      return messageView({ id: row.id, role: row.role, content: row.content, citations: row.citations, status: row.status, createdAt: row.created_at } as ChatMessage);
    }
    const message = await this.messages.for(tenant).findOneBy({ id: messageId });
    if (!message && outcome.model) {
      // Deleted mid-answer: the message is gone but the model was paid for.
      await this.usage.record(tenant, { model: outcome.model, inputTokens: outcome.inputTokens, outputTokens: outcome.outputTokens });
    }
    return message ? messageView(message) : null;
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

  private async visible(user: ChatUser, tenant: Tenant, id: string): Promise<Conversation> {
    const conversation = await this.conversations.for(tenant).findOneBy({ id });
    if (!conversation || !canSee(user, conversation)) throw conversationNotFound();
    return conversation;
  }

  private async lockVisible(user: ChatUser, tenant: Tenant, id: string, manager: EntityManager): Promise<Conversation> {
    const conversation = await this.conversations.for(tenant, manager).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!conversation || !canSee(user, conversation)) throw conversationNotFound();
    return conversation;
  }

  /** The pipeline's DTO validates too; this keeps the service safe for any other caller. */
  private assertContent(content: string): void {
    const max = this.config.chat.messageMaxChars;
    if (content.trim().length === 0 || content.length > max) {
      throw new AppException(HttpStatus.UNPROCESSABLE_ENTITY, 'VALIDATION_FAILED', 'The message is empty or too long.', [
        { field: 'content', message: `must be between 1 and ${max} characters, not only spaces` },
      ]);
    }
  }
}
