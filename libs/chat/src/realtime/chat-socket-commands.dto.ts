import { SocketCommandPayload } from '@showroom/core';
import { IsDefined, IsString, IsUUID, Length, ValidateIf, ValidationArguments, ValidatorConstraint, ValidatorConstraintInterface, Validate } from 'class-validator';

/** The HTTP DTO's ceiling; the configurable CHAT_MESSAGE_MAX_CHARS is enforced by the service (422). */
const CONTENT_CEILING = 100_000;

export class AskCommand extends SocketCommandPayload {
  @IsUUID('all')
  conversationId: string;

  @IsString()
  @Length(1, CONTENT_CEILING)
  content: string;
}

@ValidatorConstraint({ name: 'lastEventIdOfMessage' })
class LastEventIdOfMessage implements ValidatorConstraintInterface {
  validate(value: unknown, args: ValidationArguments): boolean {
    return seqAfter(value, (args.object as ResumeCommand).messageId) !== undefined;
  }

  defaultMessage(): string {
    return 'lastEventId must be "<messageId>:<seq>" or a sequence number';
  }
}

export class ResumeCommand extends SocketCommandPayload {
  @IsUUID('all')
  messageId: string;

  /** As SSE's Last-Event-ID: `<messageId>:<seq>` or a bare seq; absent means from the start. */
  @ValidateIf((command: ResumeCommand) => command.lastEventId !== undefined && command.lastEventId !== null)
  @Validate(LastEventIdOfMessage)
  lastEventId?: string | number;
}

/** `messageId`, or `requestId` naming the ask to cancel (its messageId is unknown until its first event). */
export class CancelCommand extends SocketCommandPayload {
  @ValidateIf((command: CancelCommand) => command.messageId !== undefined || command.requestId === undefined)
  @IsDefined({ message: 'messageId or requestId is required' })
  @IsUUID('all')
  messageId?: string;
}

/** The seq after which to resume, or undefined when `lastEventId` is malformed or names another message. */
export function seqAfter(lastEventId: unknown, messageId: unknown): number | undefined {
  if (lastEventId === undefined || lastEventId === null) return 0;
  if (typeof lastEventId !== 'string' && typeof lastEventId !== 'number') return undefined;
  const raw = String(lastEventId);
  const [id, seq] = raw.includes(':') ? raw.split(':', 2) : [messageId, raw];
  const n = Number(seq);
  return id === messageId && Number.isInteger(n) && n >= 0 ? n : undefined;
}
