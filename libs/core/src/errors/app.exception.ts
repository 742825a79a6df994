import { HttpStatus } from '@nestjs/common';

export interface ErrorDetail {
  field?: string;
  message: string;
}

/**
 * The one exception type domain code throws for a user-visible failure. The global filter
 * turns it into the error envelope; `code` is a stable SCREAMING_SNAKE identifier clients
 * can switch on, `message` is a sentence for people.
 */
export class AppException extends Error {
  constructor(
    readonly status: HttpStatus,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'AppException';
  }
}
