import { HttpException, HttpStatus } from '@nestjs/common';
import { AppException, ErrorDetail } from './app.exception';

export interface MappedError {
  status: number;
  code: string;
  message: string;
  details: ErrorDetail[];
  /** True when the failure is ours, not the caller's: it is logged with its stack. */
  unexpected: boolean;
}

const CODE_BY_STATUS: Record<number, string> = {
  [HttpStatus.BAD_REQUEST]: 'BAD_REQUEST',
  [HttpStatus.UNAUTHORIZED]: 'UNAUTHORIZED',
  [HttpStatus.FORBIDDEN]: 'FORBIDDEN',
  [HttpStatus.NOT_FOUND]: 'NOT_FOUND',
  [HttpStatus.METHOD_NOT_ALLOWED]: 'METHOD_NOT_ALLOWED',
  [HttpStatus.CONFLICT]: 'CONFLICT',
  [HttpStatus.PAYLOAD_TOO_LARGE]: 'PAYLOAD_TOO_LARGE',
  [HttpStatus.UNSUPPORTED_MEDIA_TYPE]: 'UNSUPPORTED_MEDIA_TYPE',
  [HttpStatus.UNPROCESSABLE_ENTITY]: 'VALIDATION_FAILED',
  [HttpStatus.TOO_MANY_REQUESTS]: 'RATE_LIMITED',
  [HttpStatus.SERVICE_UNAVAILABLE]: 'SERVICE_UNAVAILABLE',
};

/** Errors raised by body-parser (via Express) before a route runs carry `type` and `status`. */
interface BodyParserError {
  type: string;
  status: number;
  expose?: boolean;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  return typeof error === 'object' && error !== null && 'type' in error && 'status' in error;
}

export function mapError(error: unknown, bodyLimitBytes: number): MappedError {
  if (error instanceof AppException) {
    return { status: error.status, code: error.code, message: error.message, details: error.details, unexpected: false };
  }
  const parserError = isBodyParserError(error) ? error : findBodyParserCause(error);
  if (parserError) return mapBodyParserError(parserError, bodyLimitBytes);
  if (isUniqueViolation(error)) {
    // Two requests raced past an "already exists?" check; the database's unique index decided.
    return { status: 409, code: 'CONFLICT', message: 'This resource already exists.', details: [], unexpected: false };
  }
  if (isOverloaded(error)) {
    // Every database connection stayed busy past the pool's wait: the pod is overloaded, not
    // broken. 503 tells clients and load balancers to back off and retry.
    return { status: 503, code: 'SERVICE_BUSY', message: 'The service is busy right now; try again in a moment.', details: [], unexpected: false };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const health = healthFailure(error.getResponse());
    if (health) return { status, code: 'NOT_READY', message: 'The service is not ready.', details: health, unexpected: false };
    return {
      status,
      code: CODE_BY_STATUS[status] ?? (status >= 500 ? 'INTERNAL_ERROR' : 'BAD_REQUEST'),
      message: httpExceptionMessage(error),
      details: [],
      unexpected: status >= 500,
    };
  }
  return { status: 500, code: 'INTERNAL_ERROR', message: 'Something went wrong on our side.', details: [], unexpected: true };
}

function findBodyParserCause(error: unknown): BodyParserError | undefined {
  const cause = error instanceof Error ? (error as Error & { cause?: unknown }).cause : undefined;
  return isBodyParserError(cause) ? cause : undefined;
}

function mapBodyParserError(error: BodyParserError, bodyLimitBytes: number): MappedError {
  switch (error.type) {
    case 'entity.too.large':
      return {
        status: 413,
        code: 'PAYLOAD_TOO_LARGE',
        message: `The request body is larger than the limit of ${bodyLimitBytes} bytes.`,
        details: [],
        unexpected: false,
      };
    case 'entity.parse.failed':
      return { status: 400, code: 'MALFORMED_JSON', message: 'The request body is not valid JSON.', details: [], unexpected: false };
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return {
        status: 415,
        code: 'UNSUPPORTED_MEDIA_TYPE',
        message: 'The request body uses an unsupported encoding or charset.',
        details: [],
        unexpected: false,
      };
    default:
      return {
        status: error.status >= 400 && error.status < 500 ? error.status : 400,
        code: 'BAD_REQUEST',
        message: 'The request body could not be read.',
        details: [],
        unexpected: false,
      };
  }
}

function httpExceptionMessage(error: HttpException): string {
  const response = error.getResponse();
  if (error.getStatus() === HttpStatus.NOT_FOUND) return 'No such resource.';
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (typeof message === 'string') return message;
  if (Array.isArray(message)) return message.join('; ');
  return error.message;
}

/** Terminus reports failed checks as `{ status: 'error', error: { name: { status, message? } } }`. */
function healthFailure(response: unknown): ErrorDetail[] | undefined {
  if (typeof response !== 'object' || response === null) return undefined;
  const { status, error } = response as { status?: unknown; error?: unknown };
  if (status !== 'error' || typeof error !== 'object' || error === null) return undefined;
  return Object.entries(error as Record<string, { status?: string; message?: string }>).map(([field, check]) => ({
    field,
    message: check.message ?? check.status ?? 'down',
  }));
}

/** node-postgres' pool gave up waiting for a free connection (connectionTimeoutMillis). */
function isOverloaded(error: unknown): boolean {
  return error instanceof Error && error.message === 'timeout exceeded when trying to connect';
}

function isUniqueViolation(error: unknown): boolean {
  const driverError = (error as { driverError?: { code?: string } } | null)?.driverError;
  return driverError?.code === '23505';
}
