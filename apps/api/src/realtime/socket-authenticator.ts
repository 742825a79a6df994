import { HttpStatus, Injectable } from '@nestjs/common';
import type { Principal } from '@showroom/auth';
import { AppException } from '@showroom/core';
import passport from 'passport';
import type { Socket } from 'socket.io';
import { SocketErrors } from './socket-errors';

/**
 * Verifies a socket's credential with the very passport strategies the HTTP guard uses
 * ('jwt', then 'api-key'): the same signature, issuer, audience and expiry checks, the same
 * re-read of the user (so a deactivated user fails) and the same revoked-key check. If those
 * strategies change, sockets follow. The tenant is whatever the verified credential says.
 */
@Injectable()
export class SocketAuthenticator {
  /** `auth.token` (what browsers can send) or `Authorization: Bearer` (what servers send); never the query string, which ends up in logs. */
  credentialOf(socket: Socket): string | undefined {
    const fromAuth = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    if (typeof fromAuth === 'string' && fromAuth.length > 0) return fromAuth.replace(/^Bearer\s+/i, '');
    const header = socket.handshake.headers.authorization;
    return header?.match(/^Bearer\s+(\S+)$/i)?.[1];
  }

  /** The principal, or a 401 AppException (UNAUTHORIZED, or TOKEN_EXPIRED so the client knows to refresh). */
  verify(credential: string | undefined): Promise<Principal> {
    if (!credential) return Promise.reject(SocketErrors.unauthenticated());
    // passport strategies read the header from a request-like object; nothing else of it is used.
    const req = { headers: { authorization: `Bearer ${credential}` } };
    return new Promise((resolve, reject) => {
      const done = (error: unknown, principal: Principal | false, info: unknown) => {
        if (error) return reject(error instanceof Error ? error : new Error(String(error)));
        if (principal) return resolve(principal);
        const reasons = Array.isArray(info) ? info : [info];
        // passport-jwt passes jsonwebtoken's TokenExpiredError as `info`, as the HTTP guard relies on.
        if (reasons.some((reason) => (reason as Error | undefined)?.name === 'TokenExpiredError')) {
          return reject(new AppException(HttpStatus.UNAUTHORIZED, 'TOKEN_EXPIRED', 'The access token has expired; refresh it and reconnect.'));
        }
        reject(SocketErrors.unauthenticated());
      };
      const middleware = passport.authenticate(['jwt', 'api-key'], { session: false }, done) as (req: unknown, res: unknown, next: (error?: unknown) => void) => void;
      middleware(req, {}, (error?: unknown) => done(error ?? new Error('passport called next() without a result'), false, undefined));
    });
  }
}
