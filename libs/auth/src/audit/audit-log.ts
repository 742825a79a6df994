import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { RequestContext } from '@showroom/core';
import { randomUUID } from 'node:crypto';
import { EntityManager, Repository } from 'typeorm';
import { AuditEvent } from '../entities/audit-event.entity';
import type { Principal } from '../principal';

export type AuditAction =
  | 'auth.registered'
  | 'auth.signed_in'
  | 'auth.sign_in_failed'
  | 'auth.signed_out'
  | 'auth.refresh_reuse_detected'
  | 'user.created'
  | 'user.updated'
  | 'user.deactivated'
  | 'api_key.created'
  | 'api_key.revoked';

export interface AuditEntry {
  dealershipId: string | null;
  actor: Principal | { kind: 'user'; userId: string } | null;
  action: AuditAction;
  target?: { type: string; id: string };
  ip?: string;
  metadata?: Record<string, unknown>;
}

/**
 * Records security-relevant events per dealership. Pass the transaction's manager when the
 * event belongs to a change, so the change and its record commit (or vanish) together.
 */
@Injectable()
export class AuditLog {
  constructor(@InjectRepository(AuditEvent) private readonly events: Repository<AuditEvent>) {}

  async record(entry: AuditEntry, manager?: EntityManager): Promise<void> {
    const repository = manager ? manager.getRepository(AuditEvent) : this.events;
    await repository.insert({
      id: randomUUID(),
      dealershipId: entry.dealershipId,
      actorType: entry.actor === null ? 'anonymous' : entry.actor.kind === 'apiKey' ? 'api_key' : 'user',
      actorId: entry.actor === null ? null : entry.actor.kind === 'apiKey' ? entry.actor.apiKeyId : entry.actor.userId,
      action: entry.action,
      targetType: entry.target?.type ?? null,
      targetId: entry.target?.id ?? null,
      requestId: RequestContext.requestId() ?? null,
      ip: entry.ip ?? null,
      metadata: (entry.metadata ?? {}) as never,
    });
  }
}
