import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig, AppException } from '@showroom/core';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AuditLog } from '../audit/audit-log';
import { Dealership } from '../entities/dealership.entity';
import { User } from '../entities/user.entity';
import { VerifiedRecords } from '../guards/verified-records';
import { PasswordHasher } from '../passwords/password-hasher';
import { assertAcceptablePassword } from '../passwords/password-policy';
import type { Principal } from '../principal';
import { AccessTokens } from '../tokens/access-tokens';
import { AuthErrors } from '../tokens/auth-errors';
import { RefreshTokens } from '../tokens/refresh-tokens';
import { SessionView, dealershipView, userView } from './auth.views';
import type { LoginDto, RegisterDto } from './http/auth.dto';

/** Sign-up, sign-in, token refresh and sign-out. */
@Injectable()
export class AuthService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly passwords: PasswordHasher,
    private readonly accessTokens: AccessTokens,
    private readonly refreshTokens: RefreshTokens,
    private readonly audit: AuditLog,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async register(input: RegisterDto, ip: string | undefined): Promise<SessionView> {
    if (!this.config.auth.registrationEnabled) {
      throw new AppException(HttpStatus.FORBIDDEN, 'REGISTRATION_DISABLED', 'New dealerships are created by the operators of this deployment.');
    }
    const email = normalizeEmail(input.email);
    assertAcceptablePassword(input.password, email);
    const passwordHash = await this.passwords.hash(input.password);
    return this.dataSource.transaction(async (manager) => {
      await assertEmailFree(manager, email);
      const dealership = manager.create(Dealership, { id: randomUUID(), name: input.dealershipName.trim() });
      await manager.insert(Dealership, dealership);
      const user = manager.create(User, { id: randomUUID(), dealershipId: dealership.id, email, name: input.name.trim(), role: 'owner', passwordHash });
      await manager.insert(User, user);
      await this.audit.record(
        { dealershipId: dealership.id, actor: { kind: 'user', userId: user.id }, action: 'auth.registered', target: { type: 'dealership', id: dealership.id }, ip },
        manager,
      );
      return this.session(manager, user, dealership);
    });
  }

  async login(input: LoginDto, ip: string | undefined): Promise<SessionView> {
    const email = normalizeEmail(input.email);
    // The one tenant-less lookup: signing in is how a caller's dealership becomes known.
    const user = await this.dataSource
      .getRepository(User)
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('lower(u.email) = :email', { email })
      .getOne();
    const valid = user ? await this.passwords.verify(user.passwordHash, input.password) : await this.passwords.verifyAgainstDecoy(input.password);
    if (!user || !valid || !user.active) {
      await this.audit.record({
        dealershipId: user?.dealershipId ?? null,
        actor: null,
        action: 'auth.sign_in_failed',
        target: user ? { type: 'user', id: user.id } : undefined,
        ip,
        metadata: { reason: !user ? 'unknown_email' : !valid ? 'wrong_password' : 'inactive' },
      });
      throw AuthErrors.invalidCredentials();
    }
    return this.dataSource.transaction(async (manager) => {
      const dealership = await manager.findOneByOrFail(Dealership, { id: user.dealershipId });
      await this.audit.record({ dealershipId: user.dealershipId, actor: { kind: 'user', userId: user.id }, action: 'auth.signed_in', ip }, manager);
      return this.session(manager, user, dealership);
    });
  }

  async refresh(refreshToken: string, ip: string | undefined): Promise<SessionView> {
    const outcome = await this.refreshTokens.rotate(refreshToken);
    if (outcome.kind === 'reused') {
      await this.audit.record({
        dealershipId: outcome.dealershipId,
        actor: null,
        action: 'auth.refresh_reuse_detected',
        target: { type: 'user', id: outcome.userId },
        ip,
        metadata: { familyId: outcome.familyId },
      });
      throw AuthErrors.refreshTokenReused();
    }
    if (outcome.kind === 'raced') throw AuthErrors.refreshRace();
    if (outcome.kind === 'invalid') throw AuthErrors.invalidRefreshToken();
    const user = await this.dataSource.getRepository(User).findOneBy({ id: outcome.userId, dealershipId: outcome.dealershipId });
    const dealership = await this.dataSource.getRepository(Dealership).findOneBy({ id: outcome.dealershipId });
    if (!user?.active || !dealership) throw AuthErrors.invalidRefreshToken();
    return { ...this.accessSession(user, dealership), refreshToken: outcome.refreshToken };
  }

  async logout(refreshToken: string, ip: string | undefined): Promise<void> {
    const owner = await this.refreshTokens.revokeFamilyOf(refreshToken);
    // Logging out with an unknown token changes nothing and reveals nothing: still 204.
    if (owner) {
      await this.audit.record({ dealershipId: owner.dealershipId, actor: { kind: 'user', userId: owner.userId }, action: 'auth.signed_out', ip });
    }
  }

  async me(principal: Principal): Promise<{ user: ReturnType<typeof userView> | null; apiKeyId: string | null; dealership: ReturnType<typeof dealershipView> }> {
    // A user's rows were read by authentication a moment ago, in this request.
    const verified = VerifiedRecords.of(principal);
    if (verified) return { user: userView(verified.user), apiKeyId: null, dealership: dealershipView(verified.dealership) };
    const dealership = await this.dataSource.getRepository(Dealership).findOneByOrFail({ id: principal.dealershipId });
    if (principal.kind === 'apiKey') return { user: null, apiKeyId: principal.apiKeyId, dealership: dealershipView(dealership) };
    const user = await this.dataSource.getRepository(User).findOneByOrFail({ id: principal.userId, dealershipId: principal.dealershipId });
    return { user: userView(user), apiKeyId: null, dealership: dealershipView(dealership) };
  }

  private async session(manager: EntityManager, user: User, dealership: Dealership): Promise<SessionView> {
    const refreshToken = await this.refreshTokens.issue({ userId: user.id, dealershipId: dealership.id }, manager);
    return { ...this.accessSession(user, dealership), refreshToken };
  }

  private accessSession(user: User, dealership: Dealership): Omit<SessionView, 'refreshToken'> {
    return {
      accessToken: this.accessTokens.sign({ sub: user.id, dlr: dealership.id, role: user.role }),
      expiresIn: this.accessTokens.ttlSeconds,
      user: userView(user),
      dealership: dealershipView(dealership),
    };
  }
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function assertEmailFree(manager: EntityManager, email: string): Promise<void> {
  const taken = await manager.getRepository(User).createQueryBuilder('u').where('lower(u.email) = :email', { email }).getExists();
  if (taken) throw new AppException(HttpStatus.CONFLICT, 'EMAIL_TAKEN', 'An account with this email already exists.', [{ field: 'email', message: 'is already registered' }]);
}
