import { HttpStatus, Injectable } from '@nestjs/common';
import type { Principal } from '@showroom/auth';
import { AppException, SocketCommand, SocketSession } from '@showroom/core';
import type { ChatUser } from '../conversations/conversation-access';
import { ChatOverSocket } from './chat-over-socket';
import { AskCommand, CancelCommand, ResumeCommand, seqAfter } from './chat-socket-commands.dto';

/**
 * chat.ask, chat.resume and chat.cancel over the api's WebSocket: the same answers and events
 * as SSE, to the asking socket only (see ChatOverSocket).
 */
@Injectable()
export class ChatSocketCommands {
  constructor(private readonly chat: ChatOverSocket) {}

  @SocketCommand('chat.ask', AskCommand)
  ask(command: AskCommand, session: SocketSession<Principal>, requestId: string) {
    return this.chat.ask(session, chatUser(session.principal), tenantOf(session), command, requestId);
  }

  @SocketCommand('chat.resume', ResumeCommand)
  resume(command: ResumeCommand, session: SocketSession<Principal>, requestId: string) {
    const afterSeq = seqAfter(command.lastEventId, command.messageId) ?? 0;
    return this.chat.resume(session, chatUser(session.principal), tenantOf(session), command.messageId, afterSeq, requestId);
  }

  @SocketCommand('chat.cancel', CancelCommand)
  cancel(command: CancelCommand, session: SocketSession<Principal>) {
    chatUser(session.principal);
    return this.chat.cancel(session, { messageId: command.messageId, requestId: command.requestId });
  }
}

const tenantOf = (session: SocketSession<Principal>) => ({ dealershipId: session.principal.dealershipId });

/** Conversations belong to people; API keys are refused, as on the HTTP chat routes. */
function chatUser(principal: Principal): ChatUser {
  if (principal.kind !== 'user') throw new AppException(HttpStatus.FORBIDDEN, 'FORBIDDEN', 'API keys cannot chat here; use the OpenAI-compatible endpoint.');
  return principal;
}
