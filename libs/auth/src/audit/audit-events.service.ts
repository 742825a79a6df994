import { Injectable } from '@nestjs/common';
import { Page, afterCursor, toPage } from '@showroom/core';
import { And, FindOperator, FindOptionsWhere, LessThanOrEqual, MoreThanOrEqual } from 'typeorm';
import { AuditEvent } from '../entities/audit-event.entity';
import type { Tenant } from '../principal';
import { InjectTenantRepositories } from '../tenancy/inject-tenant-repositories.decorator';
import type { TenantRepositories } from '../tenancy/tenant-scoped.repository';

/** Through the tenant repository an event always has a dealership (the tenant's). */
export type DealershipAuditEvent = AuditEvent & { dealershipId: string };

export interface AuditEventFilter {
  action?: string;
  actor?: string;
  /** Inclusive bounds, already parsed. */
  from?: Date;
  to?: Date;
}

export interface AuditEventView {
  id: string;
  action: string;
  actor: { type: string; id: string | null };
  target: { type: string; id: string | null } | null;
  ip: string | null;
  requestId: string | null;
  metadata: Record<string, unknown>;
  createdAt: string;
}

/**
 * A dealership's audit log, newest first, for its admins. Read through the tenant-scoped
 * repository, so another dealership's events (and the dealership-less ones, such as a failed
 * sign-in for an unknown email) can never be listed.
 */
@Injectable()
export class AuditEventsService {
  constructor(@InjectTenantRepositories(AuditEvent) private readonly events: TenantRepositories<DealershipAuditEvent>) {}

  async list(tenant: Tenant, filter: AuditEventFilter, cursor: string | undefined, limit = 50): Promise<Page<AuditEventView>> {
    const own: FindOptionsWhere<DealershipAuditEvent> = {};
    if (filter.action) own.action = filter.action;
    if (filter.actor) own.actorId = filter.actor;
    const range = [filter.from && MoreThanOrEqual(filter.from), filter.to && LessThanOrEqual(filter.to)].filter((op): op is FindOperator<Date> => !!op);
    // The cursor's "older than" and the range both bound createdAt: combine them, don't let one overwrite the other.
    const branches = afterCursor(cursor) ?? [{}];
    const where = branches.map((branch) => {
      const bounds = [...range, ...(branch.createdAt ? [branch.createdAt as FindOperator<Date>] : [])];
      return { ...own, ...(branch.id ? { id: branch.id as FindOperator<string> } : {}), ...(bounds.length > 0 ? { createdAt: And(...bounds) } : {}) } as FindOptionsWhere<DealershipAuditEvent>;
    });
    const rows = await this.events.for(tenant).find({ where, order: { createdAt: 'DESC', id: 'DESC' }, take: limit + 1 });
    return toPage(rows, limit, view);
  }
}

function view(row: DealershipAuditEvent): AuditEventView {
  return {
    id: row.id,
    action: row.action,
    actor: { type: row.actorType, id: row.actorId },
    target: row.targetType ? { type: row.targetType, id: row.targetId } : null,
    ip: row.ip,
    requestId: row.requestId,
    metadata: row.metadata,
    createdAt: row.createdAt.toISOString(),
  };
}

