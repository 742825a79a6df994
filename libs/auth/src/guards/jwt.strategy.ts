import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { InjectRepository } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig } from '@showroom/core';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { Repository } from 'typeorm';
import { Dealership } from '../entities/dealership.entity';
import { User } from '../entities/user.entity';
import type { Principal } from '../principal';
import { ACCESS_TOKEN_ALGORITHM, AccessTokenClaims, AccessTokens } from '../tokens/access-tokens';
import { RecentlyVerifiedUsers } from './recently-verified-users';
import { VerifiedRecords } from './verified-records';

/**
 * Verifies access JWTs: HS256 only (so `alg: none` and key-confusion tokens fail), our
 * issuer and audience, not expired. The user is then re-read (a primary-key lookup joined with
 * its dealership, kept for the handler), or taken from the rows this pod read for the same user
 * within the last AUTH_USER_CACHE_MS (at most a second; see RecentlyVerifiedUsers), so a
 * deactivation or role change takes effect within a second on every pod, not 15 minutes later.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    accessTokens: AccessTokens,
    @Inject(APP_CONFIG) config: AppConfig,
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly recentlyVerified: RecentlyVerifiedUsers,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // passport-jwt's types say string | Buffer, but it hands the key to jsonwebtoken, which takes a KeyObject.
      secretOrKey: accessTokens.verificationKey as unknown as Buffer,
      algorithms: [ACCESS_TOKEN_ALGORITHM],
      issuer: config.auth.jwtIssuer,
      audience: 'showroom-api',
      ignoreExpiration: false,
    });
  }

  async validate(claims: AccessTokenClaims): Promise<Principal | false> {
    if (typeof claims.sub !== 'string' || typeof claims.dlr !== 'string' || !isUuid(claims.sub) || !isUuid(claims.dlr)) return false;
    const rows = this.recentlyVerified.get(claims.sub, claims.dlr) ?? (await this.read(claims.sub, claims.dlr));
    if (!rows?.user.active) return false;
    const { user, dealership } = rows;
    const principal: Principal = { kind: 'user', userId: user.id, dealershipId: user.dealershipId, role: user.role };
    VerifiedRecords.remember(principal, user, dealership);
    return principal;
  }

  private async read(userId: string, dealershipId: string): Promise<{ user: User; dealership: Dealership } | undefined> {
    const epoch = this.recentlyVerified.currentEpoch();
    const user = (await this.users
      .createQueryBuilder('user')
      .innerJoinAndMapOne('user.dealership', Dealership, 'dealership', 'dealership.id = user.dealership_id')
      .where('user.id = :id AND user.dealership_id = :dealershipId', { id: userId, dealershipId })
      .getOne()) as (User & { dealership: Dealership }) | null;
    if (!user) return undefined;
    // Inactive rows are remembered too: a deactivated user's retries cost no reads either.
    this.recentlyVerified.remember(user, user.dealership, epoch);
    return { user, dealership: user.dealership };
  }
}

function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
