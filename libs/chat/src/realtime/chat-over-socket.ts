import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectTenantRepositories, Tenant, TenantRepositories } from '@showroom/auth';
import { AppException, SocketSession } from '@showroom/core';
import { ChatStreamEvent, ConversationAnswers } from '../answering/conversation-answers';
import { ResumedAnswers } from '../answering/resumed-answers';
import type { ChatUser } from '../conversations/conversation-access';
import { ChatMessage } from '../conversations/message.entity';

/** More parallel answers than this on one connection is a client bug or abuse, not a chat. */
export const MAX_STREAMS_PER_SOCKET = 4;

const tooManyStreams = () =>
  new AppException(HttpStatus.TOO_MANY_REQUESTS, 'TOO_MANY_STREAMS', `At most ${MAX_STREAMS_PER_SOCKET} answers can stream on one connection at a time.`);

/** One answer streaming to a socket: asked on it, or resumed on it. */
interface SocketStream {
  requestId: string;
  messageId?: string;
  /** Aborted on chat.cancel or disconnect: the "client gone" of ConversationAnswers. */
  gone: AbortController;
}

/** What every chat event on the socket carries besides the SSE data, so a client can route it. */
interface Routing {
  conversationId: string;
  messageId: string;
  requestId: string;
}

/**
 * Chat over a socket: the same ConversationAnswers and AnswerJournal as the SSE transport, the
 * same event names and data, each event emitted to the asking socket only with its id
 * (`<messageId>:<seq>`), conversation, message and request ids spread beside the SSE data.
 */
@Injectable()
export class ChatOverSocket {
  private readonly streams = new WeakMap<SocketSession, Set<SocketStream>>();

  constructor(
    private readonly answers: ConversationAnswers,
    private readonly resumed: ResumedAnswers,
    @InjectTenantRepositories(ChatMessage) private readonly messages: TenantRepositories<ChatMessage>,
  ) {}

  async ask(session: SocketSession, user: ChatUser, tenant: Tenant, ask: { conversationId: string; content: string }, requestId: string) {
    const stream = this.open(session, requestId);
    try {
      const turn = await this.answers.answer(user, tenant, ask.conversationId, ask.content, {
        clientGone: stream.gone.signal,
        onEvent: (event) => {
          stream.messageId ??= event.id.slice(0, event.id.lastIndexOf(':'));
          emit(session, event, { conversationId: ask.conversationId, messageId: stream.messageId, requestId });
        },
      });
      return { messageId: turn.assistantMessage.id, status: turn.assistantMessage.status };
    } finally {
      this.close(session, stream);
    }
  }

  /** Replays an answer from the journal after `afterSeq`, then follows it live, as GET /messages/:id/events does. */
  async resume(session: SocketSession, user: ChatUser, tenant: Tenant, messageId: string, afterSeq: number, requestId: string) {
    const stream = this.open(session, requestId);
    stream.messageId = messageId;
    try {
      // 404 MESSAGE_NOT_FOUND for anyone else's message, before any event.
      const events = await this.resumed.events(user, tenant, messageId, afterSeq, stream.gone.signal);
      const row = await this.messages.for(tenant).findOne({ where: { id: messageId }, select: { id: true, conversationId: true } });
      const routing = { conversationId: row!.conversationId, messageId, requestId };
      for await (const event of events) {
        if (session.closed.aborted) break;
        emit(session, event, routing);
      }
      return { messageId };
    } finally {
      this.close(session, stream);
    }
  }

  /**
   * Stops this socket's interest in an answer (by message id, or by the ask's request id before
   * the first event named the message). As for a client that left, the upstream call is
   * aborted once nobody has resumed it for CHAT_RESUME_GRACE_MS, and an ask then ends with
   * `error` ANSWER_INTERRUPTED keeping the partial text; a resume just stops.
   */
  cancel(session: SocketSession, target: { messageId?: string; requestId?: string }) {
    let cancelled = 0;
    for (const stream of this.streams.get(session) ?? []) {
      const matches = (target.messageId && stream.messageId === target.messageId) || (target.requestId && stream.requestId === target.requestId);
      if (matches && !stream.gone.signal.aborted) {
        stream.gone.abort();
        cancelled += 1;
      }
    }
    return { cancelled };
  }

  private open(session: SocketSession, requestId: string): SocketStream {
    let streams = this.streams.get(session);
    if (!streams) {
      streams = new Set<SocketStream>();
      this.streams.set(session, streams);
      // The socket is gone: every answer it was reading counts as abandoned.
      session.closed.addEventListener('abort', () => this.release(session), { once: true });
    }
    if (streams.size >= MAX_STREAMS_PER_SOCKET) throw tooManyStreams();
    const stream: SocketStream = { requestId, gone: new AbortController() };
    // Disconnect may have come while the caller awaited; the stream then starts abandoned.
    if (session.closed.aborted) stream.gone.abort();
    streams.add(stream);
    return stream;
  }

  private close(session: SocketSession, stream: SocketStream): void {
    this.streams.get(session)?.delete(stream);
  }

  private release(session: SocketSession): void {
    for (const stream of this.streams.get(session) ?? []) stream.gone.abort();
    this.streams.delete(session);
  }
}

function emit(session: SocketSession, event: ChatStreamEvent, routing: Routing): void {
  session.emit(event.event, { id: event.id, ...routing, ...(event.data as object) });
}
