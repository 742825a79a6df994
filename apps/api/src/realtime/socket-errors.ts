import { HttpStatus } from '@nestjs/common';
import { AppException, ErrorDetail } from '@showroom/core';

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
