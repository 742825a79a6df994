import { HttpStatus, Injectable } from '@nestjs/common';
import type { Principal } from '@showroom/auth';
import { AppException, SocketCommand, SocketSession } from '@showroom/core';
import { AvatarSessions, AvatarUser } from '../sessions/avatar-sessions.service';
import { AvatarSpeaker } from '../speaking/avatar-speaker';
import { AvatarSessionCommand, AvatarSpeakCommand } from './avatar-socket-commands.dto';

/**
 * avatar.speak, avatar.interrupt, avatar.keepalive and avatar.end over the api's WebSocket:
 * the same services and events as HTTP. avatar.speak sends the asking socket chat's events
 * (`token`, `citations`, `done`/`error`, each with its id) and the avatar's (`avatar.speaking`,
 * `avatar.done`, …), each with `sessionId` and `requestId` beside the SSE data.
 */
@Injectable()
export class AvatarSocketCommands {
  constructor(
    private readonly sessions: AvatarSessions,
    private readonly speaker: AvatarSpeaker,
  ) {}

  @SocketCommand('avatar.speak', AvatarSpeakCommand)
  async speak(command: AvatarSpeakCommand, session: SocketSession<Principal>, requestId: string) {
    const gone = new AbortController();
    session.closed.addEventListener('abort', () => gone.abort(), { once: true });
    const turn = await this.speaker.speak(avatarUser(session.principal), tenantOf(session), command.sessionId, command.content, {
      clientGone: gone.signal,
      onEvent: (event) => {
        const data = typeof event.data === 'object' && event.data !== null ? event.data : { value: event.data };
        session.emit(event.event, { ...data, ...('id' in event ? { id: event.id } : {}), sessionId: command.sessionId, requestId });
      },
    });
    return { turnId: turn.turnId, spoken: turn.spoken.length };
  }

  @SocketCommand('avatar.interrupt', AvatarSessionCommand)
  interrupt(command: AvatarSessionCommand, session: SocketSession<Principal>) {
    return this.speaker.interrupt(avatarUser(session.principal), tenantOf(session), command.sessionId);
  }

  /** The client is still there: keeps the session from the sweep's client timeout. */
  @SocketCommand('avatar.keepalive', AvatarSessionCommand)
  async keepAlive(command: AvatarSessionCommand, session: SocketSession<Principal>) {
    return { session: await this.sessions.keepAlive(avatarUser(session.principal), tenantOf(session), command.sessionId) };
  }

  @SocketCommand('avatar.end', AvatarSessionCommand)
  async end(command: AvatarSessionCommand, session: SocketSession<Principal>) {
    return { session: await this.sessions.end(avatarUser(session.principal), tenantOf(session), command.sessionId) };
  }
}

const tenantOf = (session: SocketSession<Principal>) => ({ dealershipId: session.principal.dealershipId });

/** Avatar sessions belong to people; API keys are refused, as on the HTTP routes. */
function avatarUser(principal: Principal): AvatarUser {
  if (principal.kind !== 'user') throw new AppException(HttpStatus.FORBIDDEN, 'FORBIDDEN', 'API keys cannot use avatar sessions.');
  return principal;
}
