import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig } from '@showroom/core';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { RefreshToken } from '../entities/refresh-token.entity';
import { hashToken, newOpaqueToken } from './opaque-token';

export type RotationOutcome =
  | { kind: 'rotated'; userId: string; dealershipId: string; refreshToken: string }
  /** A rotated token presented again after the grace window: the family is now revoked. */
  | { kind: 'reused'; userId: string; dealershipId: string; familyId: string }
  /** A rotated token presented again within the grace window: a client racing itself. */
  | { kind: 'raced' }
  | { kind: 'invalid' };

interface TokenRow {
  id: string;
  family_id: string;
  user_id: string;
  dealership_id: string;
  rotated_at: Date | null;
  revoked_at: Date | null;
}

/**
 * Opaque refresh tokens, stored as SHA-256 hashes, rotated on every use. Rotation is one
 * conditional UPDATE, so across any number of pods exactly one of two concurrent refreshes
 * with the same token wins: the other's UPDATE waits on the row lock, then matches nothing.
 */
@Injectable()
export class RefreshTokens {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async issue(owner: { userId: string; dealershipId: string }, manager?: EntityManager, familyId: string = randomUUID()): Promise<string> {
    const token = newOpaqueToken();
    const expiresAt = new Date(Date.now() + this.config.auth.refreshTokenTtlDays * 24 * 3600 * 1000);
    await (manager ?? this.dataSource.manager).insert(RefreshToken, {
      id: randomUUID(),
      familyId,
      userId: owner.userId,
      dealershipId: owner.dealershipId,
      tokenHash: hashToken(token),
      expiresAt,
    });
    return token;
  }

  rotate(token: string): Promise<RotationOutcome> {
    const tokenHash = hashToken(token);
    return this.dataSource.transaction(async (manager) => {
      const [rotated] = (await manager.query(
        `UPDATE refresh_tokens SET rotated_at = now()
          WHERE token_hash = $1 AND rotated_at IS NULL AND revoked_at IS NULL AND expires_at > now()
          RETURNING id, family_id, user_id, dealership_id`,
        [tokenHash],
      )) as [TokenRow[], number];
      const current = rotated[0];
      if (current) {
        const owner = { userId: current.user_id, dealershipId: current.dealership_id };
        const refreshToken = await this.issue(owner, manager, current.family_id);
        return { kind: 'rotated', ...owner, refreshToken };
      }
      return this.diagnose(manager, tokenHash);
    });
  }

  /** Revokes the family of this token (logout). Returns the owner, or undefined for an unknown token. */
  async revokeFamilyOf(token: string): Promise<{ userId: string; dealershipId: string } | undefined> {
    const rows = (await this.dataSource.query(`SELECT family_id, user_id, dealership_id FROM refresh_tokens WHERE token_hash = $1`, [
      hashToken(token),
    ])) as TokenRow[];
    if (!rows[0]) return undefined;
    await this.revokeFamily(this.dataSource.manager, rows[0].family_id);
    return { userId: rows[0].user_id, dealershipId: rows[0].dealership_id };
  }

  async revokeAllOfUser(manager: EntityManager, userId: string): Promise<void> {
    await manager.query(`UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`, [userId]);
  }

  private async diagnose(manager: EntityManager, tokenHash: string): Promise<RotationOutcome> {
    const rows = (await manager.query(
      `SELECT family_id, user_id, dealership_id, rotated_at, revoked_at FROM refresh_tokens WHERE token_hash = $1`,
      [tokenHash],
    )) as TokenRow[];
    const row = rows[0];
    if (!row?.rotated_at || row.revoked_at) return { kind: 'invalid' };
    if (Date.now() - row.rotated_at.getTime() < this.config.auth.refreshReuseGraceMs) return { kind: 'raced' };
    await this.revokeFamily(manager, row.family_id);
    return { kind: 'reused', userId: row.user_id, dealershipId: row.dealership_id, familyId: row.family_id };
  }

  private async revokeFamily(manager: EntityManager, familyId: string): Promise<void> {
    await manager.query(`UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL`, [familyId]);
  }
}
