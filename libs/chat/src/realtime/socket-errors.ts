import { HttpStatus, Logger } from '@nestjs/common';
import { AppException, ErrorDetail, ErrorEnvelope, errorEnvelope } from '@showroom/core';

const logger = new Logger('RealtimeGateway');

/** Refusals specific to the socket protocol; domain errors (404, 422, ...) come from the services as over HTTP. */
export const SocketErrors = {
  validation: (details: ErrorDetail[]) =>
    new AppException(HttpStatus.UNPROCESSABLE_ENTITY, 'VALIDATION_FAILED', 'The message has invalid or unknown fields.', details),
  unknownEvent: (event: string, known: readonly string[]) =>
    new AppException(HttpStatus.NOT_FOUND, 'UNKNOWN_EVENT', `There is no "${event.slice(0, 64)}" event.`, [
      { field: 'event', message: `one of: ${known.join(', ')}` },
    ]),
  forbidden: (message = 'Your role does not allow this.') => new AppException(HttpStatus.FORBIDDEN, 'FORBIDDEN', message),
  unauthenticated: () =>
    new AppException(HttpStatus.UNAUTHORIZED, 'UNAUTHORIZED', 'Connect with an access token or API key in auth.token or an Authorization: Bearer header.'),
  tooManyStreams: (max: number) =>
    new AppException(HttpStatus.TOO_MANY_REQUESTS, 'TOO_MANY_STREAMS', `At most ${max} answers can stream on one connection at a time.`),
};

/** The HTTP error envelope for anything thrown; unexpected errors are logged and answered without detail, as over HTTP. */
export function envelopeOf(error: unknown, requestId: string): ErrorEnvelope {
  if (error instanceof AppException) return errorEnvelope(error.code, error.message, requestId, error.details);
  logger.error(`socket command failed: ${(error as Error)?.stack ?? String(error)}`);
  return errorEnvelope('INTERNAL_ERROR', 'Something went wrong; please try again.', requestId);
}
