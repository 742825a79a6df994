import { type ErrorEnvelope, errorEnvelope, mapError } from '@showroom/core';

/** An error as the socket's `error` event carries it: the HTTP envelope, never a stack. */
export function envelopeOf(error: unknown, requestId: string): ErrorEnvelope {
  const mapped = mapError(error, 0);
  return errorEnvelope(mapped.code, mapped.message, requestId, mapped.details);
}
