import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { InjectTenantRepositories, Tenant, TenantRepositories } from '@showroom/auth';
import { APP_CONFIG, AppConfig, AppException, GroupCommit } from '@showroom/core';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { tokenCount } from '../usage/count-usage';
import type { Citation } from './citation';
import { ChatUser, canSeeAllOfDealership, conversationNotFound } from './conversation-access';
import { titleFromMessage } from './conversation-title';
import { Conversation } from './conversation.entity';
import { ConversationSummaryView, MessageView, conversationSummaryView, messageView } from './conversation.views';
import { ChatMessage, MessageError, MessageRole } from './message.entity';
import { FINISH_ANSWERS_SQL, FinishAnswerRow } from './finish-answers.sql';
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

/** A finished answer as FINISH_ANSWERS_SQL returns it. */
interface FinishedRow {
  id: string;
  role: MessageRole;
  content: string;
  citations: Citation[];
  status: ChatMessage['status'];
  created_at: Date;
}

/**
 * One answer turn of a conversation, as the answer pipeline (POST /conversations/:id/messages)
 * writes it: the context to answer from, the question stored with its answer opened, and the
 * answer finished with its usage counted. Scoped like every conversation read (404 for what
 * the caller may not see).
 */
@Injectable()
export class AnswerTurns {
  private readonly finishes = new GroupCommit((answers: FinishAnswerRow[]) => this.finishBatch(answers));

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
   * measurements; the day's LLM usage (when a model was called); the conversation's
   * last-activity time. Atomic: finishes that arrive while an earlier batch is with Postgres
   * go together as one statement (FINISH_ANSWERS_SQL through GroupCommit), so under load the
   * day's usage row, shared by every answer of a dealership, is locked once per batch, and a
   * quiet process waits for nobody. Safe to call twice: only a `streaming` message is
   * finished, so a second call changes nothing and counts nothing. Returns null when the
   * message is gone (the conversation was deleted mid-answer); the tokens spent are still
   * counted.
   */
  async finish(tenant: Tenant, messageId: string, outcome: AssistantOutcome): Promise<MessageView | null> {
    const row = await this.finishes.submit({
      dealership_id: tenant.dealershipId,
      id: messageId,
      // Sent as JSON, where Postgres refuses a lone UTF-16 surrogate (a text parameter would
      // have gone as UTF-8 with U+FFFD in its place): replaced the same way here.
      content: outcome.content.replace(/\p{Surrogate}/gu, '\uFFFD'),
      citations: outcome.citations,
      status: outcome.status,
      error: outcome.error ?? null,
      model: outcome.model,
      input_tokens: tokenCount(outcome.inputTokens),
      output_tokens: tokenCount(outcome.outputTokens),
      first_token_ms: outcome.firstTokenMs === null ? null : Math.round(outcome.firstTokenMs),
      latency_ms: outcome.latencyMs === null ? null : Math.round(outcome.latencyMs),
    });
    if (row) return messageView({ id: row.id, role: row.role, content: row.content, citations: row.citations, status: row.status, createdAt: row.created_at } as ChatMessage);
    // Already finished (a second call), or gone.
    const message = await this.messages.for(tenant).findOneBy({ id: messageId });
    return message ? messageView(message) : null;
  }

  /** One statement for a batch of finishes; each answer's finished row, or null where nothing was streaming. */
  private async finishBatch(answers: FinishAnswerRow[]): Promise<(FinishedRow | null)[]> {
    // A message finished twice in one batch: the first finish wins, as it would one after the
    // other (an UPDATE joined to two rows for one message would pick either, and count both).
    const first = new Map<string, FinishAnswerRow>();
    for (const answer of answers) if (!first.has(answer.id)) first.set(answer.id, answer);
    const rows = (await this.dataSource.query(FINISH_ANSWERS_SQL, [JSON.stringify([...first.values()])])) as FinishedRow[];
    const byId = new Map(rows.map((row) => [row.id, row]));
    return answers.map((answer) => (first.get(answer.id) === answer ? (byId.get(answer.id) ?? null) : null));
  }

  /** The pipeline's DTO validates too; this keeps the turn safe for any other caller. */
  private assertContent(content: string): void {
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
