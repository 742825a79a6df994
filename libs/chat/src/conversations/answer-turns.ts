import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { InjectTenantRepositories, Tenant, TenantRepositories } from '@showroom/auth';
import { APP_CONFIG, AppConfig, AppException } from '@showroom/core';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { countUsageSql, tokenCount } from '../usage/count-usage';
import type { Citation } from './citation';
import { ChatUser, canSeeAllOfDealership, conversationNotFound } from './conversation-access';
import { titleFromMessage } from './conversation-title';
import { Conversation } from './conversation.entity';
import { ConversationSummaryView, MessageView, conversationSummaryView, messageView } from './conversation.views';
import { ChatMessage, MessageError, MessageRole } from './message.entity';
import { OPEN_TURN_SQL, OpenTurnRow } from './open-turn.sql';
import { visibleConversation } from './visible-conversation';

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

/** A turn as opened: the question stored, the answer open, and what the answer is built from. */
export interface OpenedTurn {
  userMessage: MessageView;
  assistantMessage: MessageView;
  /** The most recent complete messages before this question, oldest first. */
  history: HistoryMessage[];
  /** The dealership's own system prompt; null when it has none (the default applies). */
  systemPrompt: string | null;
}

export const DEFAULT_HISTORY_LIMIT = 40;

/**
 * One answer turn of a conversation, as the answer pipeline (POST /conversations/:id/messages)
 * writes it: the context to answer from, the question stored with its answer opened, and the
 * answer finished with its usage counted. Scoped like every conversation read (404 for what
 * the caller may not see).
 */
@Injectable()
export class AnswerTurns {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectTenantRepositories(Conversation) private readonly conversations: TenantRepositories<Conversation>,
    @InjectTenantRepositories(ChatMessage) private readonly messages: TenantRepositories<ChatMessage>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Checks the caller may use the conversation (404 otherwise) and returns it with recent history. */
  async findForAnswer(user: ChatUser, tenant: Tenant, conversationId: string, historyLimit = DEFAULT_HISTORY_LIMIT): Promise<AnswerContext> {
    const conversation = await visibleConversation(this.conversations.for(tenant), user, conversationId);
    // Failed, interrupted and in-flight answers are not fed back to the model.
    const recent = await this.messages.for(tenant).find({ where: { conversationId, status: 'complete' }, order: { seq: 'DESC' }, take: historyLimit });
    return {
      conversation: conversationSummaryView(conversation),
      history: recent.reverse().map((m) => ({ id: m.id, role: m.role, content: m.content, createdAt: m.createdAt.toISOString() })),
    };
  }

  /**
   * Stores the user's question and opens the assistant's answer as an empty `streaming`
   * message (so the client has its id from the first token on), and returns what the answer
   * is built from: the conversation's recent complete history (without this question) and the
   * dealership's own system prompt (null: the default). One SQL statement (open-turn.sql.ts):
   * the access check (404, also when the conversation was deleted meanwhile), the question,
   * the default title (the first question, cut to about 80 characters), the last-activity time
   * and the open answer are atomic, and an answer costs one pooled connection for one round
   * trip here instead of nine.
   */
  async open(user: ChatUser, tenant: Tenant, conversationId: string, content: string, historyLimit = DEFAULT_HISTORY_LIMIT): Promise<OpenedTurn> {
    this.assertContent(content);
    if (user.dealershipId !== tenant.dealershipId) throw conversationNotFound();
    const rows = (await this.dataSource.query(OPEN_TURN_SQL, [
      tenant.dealershipId,
      conversationId,
      user.userId,
      canSeeAllOfDealership(user),
      titleFromMessage(content),
      content,
      historyLimit,
      new Date(),
      randomUUID(),
      randomUUID(),
    ])) as OpenTurnRow[];
    const opened = rows.filter((row) => row.part === 'opened');
    const userRow = opened.find((row) => row.role === 'user');
    const assistantRow = opened.find((row) => row.role === 'assistant');
    if (!userRow || !assistantRow) throw conversationNotFound();
    const history = rows
      .filter((row) => row.part === 'history')
      .sort((a, b) => (BigInt(a.seq!) < BigInt(b.seq!) ? -1 : 1))
      .map((row) => ({ id: row.id!, role: row.role!, content: row.content, createdAt: row.created_at!.toISOString() }));
    return {
      userMessage: openedView(userRow),
      assistantMessage: openedView(assistantRow),
      history,
      systemPrompt: rows.find((row) => row.part === 'prompt')?.content ?? null,
    };
  }

  /** The question stored and the answer opened (open() without what the answer reads). */
  async begin(user: ChatUser, tenant: Tenant, conversationId: string, content: string): Promise<{ userMessage: MessageView; assistantMessage: MessageView }> {
    const { userMessage, assistantMessage } = await this.open(user, tenant, conversationId, content);
    return { userMessage, assistantMessage };
  }

  /**
   * Closes a `streaming` answer: the message's final text, citations, status and
   * measurements; the day's LLM usage (when a model was called, with countUsageSql); the
   * conversation's last-activity time. One SQL statement, so it is atomic and the day's usage
   * row — one per dealership and model, shared by every answer — stays locked only while
   * Postgres runs it, never while this process is busy elsewhere (a transaction held across
   * event-loop turns made concurrent answers queue on that row). Safe to call twice: only a
   * `streaming` message is finished, so a second call changes nothing and counts nothing.
   * Returns null when the message is gone (the conversation was deleted mid-answer); the
   * tokens spent are still counted.
   */
  async finish(tenant: Tenant, messageId: string, outcome: AssistantOutcome): Promise<MessageView | null> {
    const rows = (await this.dataSource.query(
      `WITH finished AS (
         UPDATE messages SET content = $3, citations = $4, status = $5, error = $6, model = $7,
                input_tokens = $8, output_tokens = $9, first_token_ms = $10, latency_ms = $11
          WHERE id = $2 AND dealership_id = $1 AND role = 'assistant' AND status = 'streaming'
          RETURNING *),
       -- counted when this call finished the answer, or when its message is gone (deleted mid-answer:
       -- the model was still paid for); not when an earlier call already finished it
       counted AS (${countUsageSql({
         dealershipId: '$1', model: '$7', inputTokens: '$8', outputTokens: '$9',
         when: 'EXISTS (SELECT 1 FROM finished) OR NOT EXISTS (SELECT 1 FROM messages WHERE id = $2 AND dealership_id = $1)',
       })}),
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
        tokenCount(outcome.inputTokens),
        tokenCount(outcome.outputTokens),
        outcome.firstTokenMs === null ? null : Math.round(outcome.firstTokenMs),
        outcome.latencyMs === null ? null : Math.round(outcome.latencyMs),
      ],
    )) as { id: string; role: MessageRole; content: string; citations: Citation[]; status: ChatMessage['status']; created_at: Date }[];
    if (rows.length > 0) {
      const [row] = rows;
      return messageView({ id: row.id, role: row.role, content: row.content, citations: row.citations, status: row.status, createdAt: row.created_at } as ChatMessage);
    }
    const message = await this.messages.for(tenant).findOneBy({ id: messageId });
    return message ? messageView(message) : null;
  }

  /**
   * What a question must be to open a turn (422 otherwise): `open` checks it, and a caller that
   * starts work on the question before opening the turn checks it first. The pipeline's DTO
   * validates too; this keeps the turn safe for any other caller.
   */
  assertContent(content: string): void {
    const max = this.config.chat.messageMaxChars;
    if (content.trim().length === 0 || content.length > max) {
      throw new AppException(HttpStatus.UNPROCESSABLE_ENTITY, 'VALIDATION_FAILED', 'The message is empty or too long.', [
        { field: 'content', message: `must be between 1 and ${max} characters, not only spaces` },
      ]);
    }
  }
}

function openedView(row: OpenTurnRow): MessageView {
  return { id: row.id!, role: row.role!, content: row.content, citations: [], status: row.status!, createdAt: row.created_at!.toISOString() };
}
