import { SocketCommandPayload } from '@showroom/core';
import { IsString, IsUUID, Length } from 'class-validator';

export class AvatarSessionCommand extends SocketCommandPayload {
  @IsUUID('all')
  sessionId: string;
}

export class AvatarSpeakCommand extends AvatarSessionCommand {
  /** The HTTP DTO's ceiling; chat enforces CHAT_MESSAGE_MAX_CHARS (422). */
  @IsString()
  @Length(1, 100_000)
  content: string;
}
