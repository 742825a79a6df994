import { HttpStatus, Logger } from '@nestjs/common';
import { AppException, ErrorDetail, ErrorEnvelope, errorEnvelope } from '@showroom/core';

const logger = new Logger('RealtimeGateway');

/** Refusals of the socket protocol itself; domain errors (403, 404, 422, TOO_MANY_STREAMS, ...) come from the domains' commands, as over HTTP. */
export const SocketErrors = {
  validation: (details: ErrorDetail[]) =>
    new AppException(HttpStatus.UNPROCESSABLE_ENTITY, 'VALIDATION_FAILED', 'The message has invalid or unknown fields.', details),
  unknownEvent: (event: string, known: readonly string[]) =>
    new AppException(HttpStatus.NOT_FOUND, 'UNKNOWN_EVENT', `There is no "${event.slice(0, 64)}" event.`, [
      { field: 'event', message: `one of: ${known.join(', ')}` },
    ]),
  unauthenticated: () =>
    new AppException(HttpStatus.UNAUTHORIZED, 'UNAUTHORIZED', 'Connect with an access token or API key in auth.token or an Authorization: Bearer header.'),
};

/** The HTTP error envelope for anything thrown; unexpected errors are logged and answered without detail, as over HTTP. */
export function envelopeOf(error: unknown, requestId: string): ErrorEnvelope {
  if (error instanceof AppException) return errorEnvelope(error.code, error.message, requestId, error.details);
  logger.error(`socket command failed: ${(error as Error)?.stack ?? String(error)}`);
  return errorEnvelope('INTERNAL_ERROR', 'Something went wrong; please try again.', requestId);
}
