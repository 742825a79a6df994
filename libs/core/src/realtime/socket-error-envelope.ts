import { Logger } from '@nestjs/common';
import { type ErrorEnvelope, errorEnvelope } from '../errors/error-envelope';
import { mapError } from '../errors/http-error-mapping';

const logger = new Logger('Realtime');

/**
 * The HTTP error envelope for anything a socket command or stream threw, mapped exactly as
 * over HTTP (domain codes kept, unexpected errors answered without detail and logged with
 * their stack, which never leaves the server).
 */
export function socketErrorEnvelope(error: unknown, requestId: string): ErrorEnvelope {
  // Frames are size-checked by the adapter before they are parsed, so no body limit applies here.
  const mapped = mapError(error, 0);
  if (mapped.unexpected) logger.error(`socket command failed: ${(error as Error)?.stack ?? String(error)}`);
  return errorEnvelope(mapped.code, mapped.message, requestId, mapped.details);
}
