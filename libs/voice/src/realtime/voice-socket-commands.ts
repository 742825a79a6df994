import { HttpStatus, Injectable } from '@nestjs/common';
import type { Principal } from '@showroom/auth';
import type { ChatUser } from '@showroom/chat';
import { AppException, SocketCommand, type SocketSession } from '@showroom/core';
import { SpokenTurns } from './spoken-turns';
import { VoiceStartCommand, VoiceTurnCommand } from './voice-socket-commands.dto';

/** voice.start, voice.stop and voice.interrupt over the api's WebSocket (see SpokenTurns); the audio itself comes as binary voice.audio frames. */
@Injectable()
export class VoiceSocketCommands {
  constructor(private readonly turns: SpokenTurns) {}

  @SocketCommand('voice.start', VoiceStartCommand)
  start(command: VoiceStartCommand, session: SocketSession<Principal>, requestId: string) {
    return this.turns.start(session, speaker(session.principal), { dealershipId: session.principal.dealershipId }, command, requestId);
  }

  @SocketCommand('voice.stop', VoiceTurnCommand)
  stop(command: VoiceTurnCommand, session: SocketSession<Principal>) {
    speaker(session.principal);
    return this.turns.stop(session, command.turnId);
  }

  @SocketCommand('voice.interrupt', VoiceTurnCommand)
  interrupt(command: VoiceTurnCommand, session: SocketSession<Principal>) {
    speaker(session.principal);
    return this.turns.interruptCommand(session, command.turnId);
  }
}

/** Spoken turns are stored in people's conversations; API keys are refused, as for chat.ask. */
function speaker(principal: Principal): ChatUser {
  if (principal.kind !== 'user') throw new AppException(HttpStatus.FORBIDDEN, 'FORBIDDEN', 'API keys cannot hold spoken turns; sign in as a user.');
  return principal;
}
