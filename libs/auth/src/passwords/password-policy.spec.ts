import { AppException } from '@showroom/core';
import { assertAcceptablePassword } from './password-policy';

function problem(password: string, email = 'dana@dealer.example'): string | undefined {
  try {
    assertAcceptablePassword(password, email);
    return undefined;
  } catch (error) {
    return (error as AppException).details[0]?.message;
  }
}

describe('password policy', () => {
  it.each([
    ['short1', 'must be at least 12 characters'],
    ['x'.repeat(129), 'must be at most 128 characters'],
    ['Password1234', 'is one of the most common passwords'],
    ['abababababab', 'repeats too few different characters'],
    ['dana@dealer.example', 'must not be your email'],
  ])('refuses %j: %s', (password, message) => {
    expect(problem(password)).toBe(message);
  });

  it('accepts a long passphrase without composition rules', () => {
    expect(problem('correct horse battery staple')).toBeUndefined();
  });
});
