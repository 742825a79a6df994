import { HttpStatus } from '@nestjs/common';
import { AppException } from '@showroom/core';

export const PASSWORD_MIN_LENGTH = 12;
/** argon2 cost grows with input; a cap keeps a login from being a CPU weapon. */
export const PASSWORD_MAX_LENGTH = 128;

// The most common passwords of at least 12 characters (public breach lists); length alone
// lets these through.
const COMMON = new Set([
  'password1234', 'password12345', 'password123456', 'qwertyuiop12', '123456789012', '1234567890123',
  'qwerty123456', 'iloveyou1234', 'administrator', 'passwordpassword', '111111111111', 'aaaaaaaaaaaa',
  'abcdefghijkl', 'abc123456789', 'welcome12345', 'letmein12345', 'changeme1234', 'dealership123',
]);

/**
 * NIST 800-63B style: length over composition rules. Rejects short, overlong, very common,
 * single-character and email-equal passwords with a 422 naming the field.
 */
export function assertAcceptablePassword(password: string, email: string): void {
  const problem = passwordProblem(password, email);
  if (problem) {
    throw new AppException(HttpStatus.UNPROCESSABLE_ENTITY, 'WEAK_PASSWORD', 'The password is too weak.', [
      { field: 'password', message: problem },
    ]);
  }
}

function passwordProblem(password: string, email: string): string | undefined {
  if (password.length < PASSWORD_MIN_LENGTH) return `must be at least ${PASSWORD_MIN_LENGTH} characters`;
  if (password.length > PASSWORD_MAX_LENGTH) return `must be at most ${PASSWORD_MAX_LENGTH} characters`;
  const lower = password.toLowerCase();
  if (COMMON.has(lower)) return 'is one of the most common passwords';
  if (new Set(lower).size <= 2) return 'repeats too few different characters';
  if (lower === email.toLowerCase() || lower === email.toLowerCase().split('@')[0]) return 'must not be your email';
  return undefined;
}
