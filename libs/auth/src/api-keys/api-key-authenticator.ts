import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { ApiKey } from '../entities/api-key.entity';
import type { Principal } from '../principal';
import { hashToken, sameHash } from '../tokens/opaque-token';
import { parseApiKey } from './api-key-format';

/** `last_used_at` is written at most this often per key and process: a key used 100 times a second is not 100 writes. */
const LAST_USED_RESOLUTION_MS = 60_000;

@Injectable()
export class ApiKeyAuthenticator {
  private readonly lastWritten = new Map<string, number>();

  constructor(@InjectRepository(ApiKey) private readonly keys: Repository<ApiKey>) {}

  async authenticate(token: string): Promise<Principal | undefined> {
    const parsed = parseApiKey(token);
    if (!parsed) return undefined;
    const key = await this.keys.findOne({
      where: { prefix: parsed.prefix, revokedAt: IsNull() },
      select: { id: true, dealershipId: true, secretHash: true },
    });
    if (!key || !sameHash(key.secretHash, hashToken(parsed.secret))) return undefined;
    await this.touch(key.id);
    return { kind: 'apiKey', apiKeyId: key.id, dealershipId: key.dealershipId, role: null };
  }

  private async touch(id: string): Promise<void> {
    const now = Date.now();
    if (now - (this.lastWritten.get(id) ?? 0) < LAST_USED_RESOLUTION_MS) return;
    this.lastWritten.set(id, now);
    await this.keys.update({ id }, { lastUsedAt: new Date(now) });
  }
}
