import { ErrorDetail } from './app.exception';

export interface ErrorEnvelope {
  error: { code: string; message: string; requestId: string | null; details: ErrorDetail[] };
}

export function errorEnvelope(
  code: string,
  message: string,
  requestId: string | undefined,
  details: ErrorDetail[] = [],
): ErrorEnvelope {
  return { error: { code, message, requestId: requestId ?? null, details } };
}
