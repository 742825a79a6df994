import { HttpException, HttpStatus } from '@nestjs/common';
import { AppException } from '@showroom/core';

/** OpenAI's error body: what its SDK and every OpenAI client parse into their error classes. */
export interface OpenAiErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

/** A failure this endpoint raises itself, already in OpenAI's terms (status, type, param, code). */
export class OpenAiApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly code: string | null,
    message: string,
    readonly param: string | null = null,
  ) {
    super(message);
    this.name = 'OpenAiApiError';
  }
}

export const invalidRequest = (message: string, param: string | null, code: string | null = null) =>
  new OpenAiApiError(HttpStatus.BAD_REQUEST, 'invalid_request_error', code, message, param);

export const modelNotFound = (model: string) =>
  new OpenAiApiError(HttpStatus.NOT_FOUND, 'invalid_request_error', 'model_not_found', `The model \`${model}\` does not exist or you do not have access to it.`, 'model');

export interface TranslatedError {
  status: number;
  body: OpenAiErrorBody;
  /** Ours, not the caller's: worth a log line with the stack. */
  unexpected: boolean;
}

/**
 * Any error of the request (ours, a guard's, Nest's, body-parser's) in OpenAI's error shape. Our
 * stable codes travel lower-cased in `code`, so a client can still tell LLM_TIMEOUT from
 * PROVIDER_UNAVAILABLE; the status and `type` follow what OpenAI answers in the same situation.
 */
export function toOpenAiError(error: unknown): TranslatedError {
  if (error instanceof OpenAiApiError) return translated(error.status, error.type, error.code, error.message, error.param);
  if (error instanceof AppException) return fromStatus(error.status, error.code, error.message, error.details[0]?.field ?? null);
  if (error instanceof HttpException) return fromStatus(error.getStatus(), null, error.message, null);
  const parser = bodyParserError(error);
  if (parser) {
    if (parser.type === 'entity.too.large') return fromStatus(413, 'PAYLOAD_TOO_LARGE', 'The request body is too large.', null);
    return fromStatus(400, 'MALFORMED_JSON', 'We could not parse the JSON body of your request.', null);
  }
  return { ...translated(500, 'server_error', 'internal_error', 'Something went wrong on our side; please try again.', null), unexpected: true };
}

function fromStatus(status: number, ourCode: string | null, message: string, param: string | null): TranslatedError {
  const code = ourCode?.toLowerCase() ?? null;
  if (status === HttpStatus.UNAUTHORIZED) return translated(401, 'invalid_request_error', 'invalid_api_key', message, null);
  if (status === HttpStatus.FORBIDDEN) return translated(403, 'permission_error', code, message, null);
  if (status === HttpStatus.NOT_FOUND) return translated(404, 'invalid_request_error', code ?? 'not_found', message, param);
  // OpenAI counts request-rate limits as type "requests".
  if (status === HttpStatus.TOO_MANY_REQUESTS) return translated(429, 'requests', 'rate_limit_exceeded', message, null);
  // OpenAI has no 422: an invalid body is its 400 invalid_request_error.
  if (status === HttpStatus.UNPROCESSABLE_ENTITY) return translated(400, 'invalid_request_error', null, message, param);
  if (status >= 400 && status < 500) return translated(status, 'invalid_request_error', code, message, param);
  return { ...translated(status >= 500 && status < 600 ? status : 500, 'server_error', code, message, null), unexpected: status === 500 };
}

function translated(status: number, type: string, code: string | null, message: string, param: string | null): TranslatedError {
  return { status, body: { error: { message, type, param, code } }, unexpected: false };
}

/** body-parser's errors carry `type` and `status` (sometimes as the `cause` of Nest's wrapper). */
function bodyParserError(error: unknown): { type: string } | undefined {
  const candidates = [error, (error as { cause?: unknown } | null)?.cause];
  return candidates.find((e): e is { type: string } => typeof e === 'object' && e !== null && 'type' in e && 'status' in e);
}
