import { Injectable } from '@nestjs/common';
import type { Tenant } from '@showroom/auth';
import type { ChatUser } from '../conversations/conversation-access';
import { ConversationsService } from '../conversations/conversations.service';
import { AnswerJournal } from './answer-journal';
import type { ChatStreamEvent } from './conversation-answers';

/** How long one "someone is reading" mark lasts, and how often a reader renews it. */
const WATCH_TTL_MS = 2_000;
const WATCH_EVERY_MS = 500;

/**
 * An answer's events after `afterSeq`, then live until it ends, for any transport (SSE's
 * GET /messages/:id/events, the WebSocket's chat.resume). While reading, it marks the answer
 * watched so the producing pod, whichever it is, does not abort it for a client that left.
 * When the journal has expired, the stored message is the whole story: one `done`.
 */
@Injectable()
export class ResumedAnswers {
  constructor(
    private readonly conversations: ConversationsService,
    private readonly journal: AnswerJournal,
  ) {}

  /** Throws 404 MESSAGE_NOT_FOUND before the first event for a message the caller cannot see. */
  async events(user: ChatUser, tenant: Tenant, messageId: string, afterSeq: number, signal: AbortSignal): Promise<AsyncGenerator<ChatStreamEvent>> {
    await this.conversations.visibleMessage(user, tenant, messageId);
    return this.follow(user, tenant, messageId, afterSeq, signal);
  }

  private async *follow(user: ChatUser, tenant: Tenant, messageId: string, afterSeq: number, signal: AbortSignal): AsyncGenerator<ChatStreamEvent> {
    const watch = () => void this.journal.markWatched(messageId, WATCH_TTL_MS).catch(() => undefined);
    const watching = setInterval(watch, WATCH_EVERY_MS);
    watch();
    let sent = 0;
    try {
      for await (const entry of this.journal.follow(messageId, afterSeq, signal)) {
        sent += 1;
        yield { id: `${messageId}:${entry.seq}`, event: entry.event, data: entry.data };
      }
      if (sent === 0 && !signal.aborted && !(await this.journal.exists(messageId))) {
        const stored = await this.conversations.visibleMessage(user, tenant, messageId);
        yield { id: `${messageId}:final`, event: 'done', data: { message: stored } };
      }
    } finally {
      clearInterval(watching);
    }
  }
}
