import { HttpStatus } from '@nestjs/common';
import { AppException } from '@showroom/core';

/** The 401s of the auth flows, in one place so their codes and wording stay consistent. */
export const AuthErrors = {
  invalidCredentials: () => new AppException(HttpStatus.UNAUTHORIZED, 'INVALID_CREDENTIALS', 'The email or password is wrong.'),
  invalidRefreshToken: () =>
    new AppException(HttpStatus.UNAUTHORIZED, 'INVALID_REFRESH_TOKEN', 'The refresh token is not valid; sign in again.'),
  refreshTokenReused: () =>
    new AppException(
      HttpStatus.UNAUTHORIZED,
      'REFRESH_TOKEN_REUSED',
      'This refresh token was already used; every session it belongs to has been signed out.',
    ),
  refreshRace: () =>
    new AppException(
      HttpStatus.UNAUTHORIZED,
      'REFRESH_TOKEN_ROTATED',
      'This refresh token was just rotated by another request; use the token that request received.',
    ),
  unauthenticated: () => new AppException(HttpStatus.UNAUTHORIZED, 'UNAUTHORIZED', 'Sign in, or send a valid bearer token or API key.'),
  tokenExpired: () => new AppException(HttpStatus.UNAUTHORIZED, 'TOKEN_EXPIRED', 'The access token has expired; refresh it.'),
  forbidden: () => new AppException(HttpStatus.FORBIDDEN, 'FORBIDDEN', 'Your role does not allow this.'),
};
