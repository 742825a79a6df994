import { Inject, Injectable, Logger } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { APP_CONFIG, AppConfig } from '@showroom/core';
import { createSecretKey, KeyObject, randomBytes } from 'node:crypto';
import type { Role } from '../roles';

export const ACCESS_TOKEN_ALGORITHM = 'HS256';

export interface AccessTokenClaims {
  sub: string;
  dlr: string;
  role: Role;
}

/** Signs short-lived access JWTs; passport-jwt verifies them (JwtStrategy) with the same secret. */
@Injectable()
export class AccessTokens {
  private readonly logger = new Logger(AccessTokens.name);
  readonly secret: string;
  /**
   * The same secret as a KeyObject, for verifying: given a string, jsonwebtoken first tries to
   * parse it as a PEM public key on every verify (it throws, then builds a secret key).
   */
  readonly verificationKey: KeyObject;

  constructor(
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.secret = config.auth.jwtSecret ?? randomBytes(48).toString('base64url');
    this.verificationKey = createSecretKey(Buffer.from(this.secret, 'utf8'));
    if (!config.auth.jwtSecret) {
      this.logger.warn('JWT_SECRET is not set: using a random secret for this process (tokens end when it stops)');
    }
  }

  get ttlSeconds(): number {
    return this.config.auth.accessTokenTtlSeconds;
  }

  sign(claims: AccessTokenClaims): string {
    return this.jwt.sign(claims, {
      secret: this.secret,
      algorithm: ACCESS_TOKEN_ALGORITHM,
      expiresIn: this.ttlSeconds,
      issuer: this.config.auth.jwtIssuer,
      audience: 'showroom-api',
    });
  }
}
