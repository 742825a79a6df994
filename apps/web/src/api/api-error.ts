import type { ErrorEnvelope } from './types';

/** An error the api answered with its envelope `{ error: { code, message, requestId, details } }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: { field?: string; message: string }[] = [],
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  static fromEnvelope(status: number, body: unknown, statusText = ''): ApiError {
    const error = (body as Partial<ErrorEnvelope> | null)?.error;
    if (error && typeof error.code === 'string' && typeof error.message === 'string') {
      return new ApiError(status, error.code, error.message, Array.isArray(error.details) ? error.details : [], error.requestId);
    }
    return new ApiError(status, `HTTP_${status}`, `The server answered ${status}${statusText ? ` ${statusText}` : ''} without an explanation.`);
  }

  static async fromResponse(response: Response): Promise<ApiError> {
    const body: unknown = await response.json().catch(() => null);
    return ApiError.fromEnvelope(response.status, body, response.statusText);
  }
}

/**
 * Every failure in words a person can act on: the api's own message with each field problem,
 * a plain sentence for a lost connection, and a rate limit's wait time.
 */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    const details = error.details.map((d) => (d.field ? `${d.field}: ${d.message}` : d.message));
    return [error.message, ...details].join(' ');
  }
  if (error instanceof TypeError) return 'Cannot reach Showroom. Check your connection and try again.';
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong. Try again.';
}
