import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AppException } from '@showroom/core';
import { randomUUID } from 'node:crypto';
import { DataSource, IsNull } from 'typeorm';
import { AuditLog } from '../audit/audit-log';
import { ApiKey } from '../entities/api-key.entity';
import type { Principal, Tenant } from '../principal';
import { InjectTenantRepositories } from '../tenancy/inject-tenant-repositories.decorator';
import { TenantRepositories } from '../tenancy/tenant-scoped.repository';
import { hashToken } from '../tokens/opaque-token';
import { newApiKey } from './api-key-format';

export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

function view(key: ApiKey): ApiKeyView {
  return {
    id: key.id,
    name: key.name,
    prefix: `shr_${key.prefix}`,
    createdAt: key.createdAt.toISOString(),
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
    revokedAt: key.revokedAt?.toISOString() ?? null,
  };
}

@Injectable()
export class ApiKeysService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectTenantRepositories(ApiKey) private readonly keys: TenantRepositories<ApiKey>,
    private readonly audit: AuditLog,
  ) {}

  async list(tenant: Tenant): Promise<{ items: ApiKeyView[]; nextCursor: null }> {
    const rows = await this.keys.for(tenant).find({ order: { createdAt: 'DESC', id: 'DESC' } });
    return { items: rows.map(view), nextCursor: null };
  }

  /** The full key is in this answer and nowhere else, ever. */
  async create(actor: Extract<Principal, { kind: 'user' }>, tenant: Tenant, name: string): Promise<ApiKeyView & { key: string }> {
    const { prefix, secret, key } = newApiKey();
    return this.dataSource.transaction(async (manager) => {
      const keys = this.keys.for(tenant, manager);
      const row = await keys.insert({ id: randomUUID(), name: name.trim(), prefix, secretHash: hashToken(secret), createdBy: actor.userId });
      await this.audit.record({ dealershipId: tenant.dealershipId, actor, action: 'api_key.created', target: { type: 'api_key', id: row.id }, metadata: { name } }, manager);
      return { ...view((await keys.findOneBy({ id: row.id }))!), key };
    });
  }

  async revoke(actor: Principal, tenant: Tenant, id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const changed = await this.keys.for(tenant, manager).update({ id, revokedAt: IsNull() }, { revokedAt: new Date() });
      if (changed === 0) {
        const exists = await this.keys.for(tenant, manager).count({ id });
        // Revoking twice is fine (idempotent DELETE); a key of another dealership is not found.
        if (exists === 0) throw new AppException(HttpStatus.NOT_FOUND, 'API_KEY_NOT_FOUND', 'No such API key in your dealership.');
        return;
      }
      await this.audit.record({ dealershipId: tenant.dealershipId, actor, action: 'api_key.revoked', target: { type: 'api_key', id } }, manager);
    });
  }
}
