import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AppException, Page, afterCursor, toPage } from '@showroom/core';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuditLog } from '../audit/audit-log';
import { assertEmailFree, normalizeEmail } from '../auth/auth.service';
import { UserView, userView } from '../auth/auth.views';
import { User } from '../entities/user.entity';
import { PasswordHasher } from '../passwords/password-hasher';
import { assertAcceptablePassword } from '../passwords/password-policy';
import type { Principal, Tenant } from '../principal';
import type { DealershipRole } from '../roles';
import { InjectTenantRepositories } from '../tenancy/inject-tenant-repositories.decorator';
import { TenantRepositories } from '../tenancy/tenant-scoped.repository';
import { RecentlyVerifiedUsers } from '../guards/recently-verified-users';
import { RefreshTokens } from '../tokens/refresh-tokens';
import type { CreateUserDto, UpdateUserDto } from './http/users.dto';

type UserActor = Extract<Principal, { kind: 'user' }>;

const notFound = () => new AppException(HttpStatus.NOT_FOUND, 'USER_NOT_FOUND', 'No such user in your dealership.');

/** A dealership's users, managed by its owners and admins. Every query is tenant-scoped. */
@Injectable()
export class UsersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectTenantRepositories(User) private readonly users: TenantRepositories<User>,
    private readonly passwords: PasswordHasher,
    private readonly refreshTokens: RefreshTokens,
    private readonly audit: AuditLog,
    private readonly recentlyVerified: RecentlyVerifiedUsers,
  ) {}

  async list(tenant: Tenant, cursor: string | undefined, limit = 50): Promise<Page<UserView>> {
    const rows = await this.users.for(tenant).find({ where: afterCursor(cursor) ?? {}, order: { createdAt: 'DESC', id: 'DESC' }, take: limit + 1 });
    return toPage(rows, limit, userView);
  }

  async create(actor: UserActor, tenant: Tenant, input: CreateUserDto): Promise<UserView> {
    assertMayAssign(actor, input.role);
    const email = normalizeEmail(input.email);
    assertAcceptablePassword(input.password, email);
    const passwordHash = await this.passwords.hash(input.password);
    return this.dataSource.transaction(async (manager) => {
      await assertEmailFree(manager, email);
      const user = await this.users.for(tenant, manager).insert({ id: randomUUID(), email, name: input.name.trim(), role: input.role, passwordHash, active: true });
      await this.audit.record({ dealershipId: tenant.dealershipId, actor, action: 'user.created', target: { type: 'user', id: user.id }, metadata: { role: input.role } }, manager);
      const created = await this.users.for(tenant, manager).findOneBy({ id: user.id });
      return userView(created!);
    });
  }

  async update(actor: UserActor, tenant: Tenant, id: string, changes: UpdateUserDto): Promise<UserView> {
    const updated = await this.dataSource.transaction(async (manager) => {
      const users = this.users.for(tenant, manager);
      const target = await users.findOneBy({ id });
      if (!target) throw notFound();
      assertMayManage(actor, target, changes);
      if ((changes.role && changes.role !== 'owner') || changes.active === false) await assertNotLastOwner(users, target);
      await users.update({ id }, { ...changes, updatedAt: new Date() });
      const deactivated = changes.active === false && target.active;
      if (deactivated) await this.refreshTokens.revokeAllOfUser(manager, id);
      await this.audit.record(
        { dealershipId: tenant.dealershipId, actor, action: deactivated ? 'user.deactivated' : 'user.updated', target: { type: 'user', id }, metadata: { ...changes } },
        manager,
      );
      return userView((await users.findOneBy({ id }))!);
    });
    // Committed: this pod's next request by that user sees the change at once (other pods within a second).
    this.recentlyVerified.forget(id);
    return updated;
  }
}

/** Only owners hand out (or take away) the owner role; admins manage admins and staff. */
function assertMayAssign(actor: UserActor, role: DealershipRole): void {
  if (role === 'owner' && actor.role !== 'owner') {
    throw new AppException(HttpStatus.FORBIDDEN, 'FORBIDDEN', 'Only an owner can make someone an owner.');
  }
}

function assertMayManage(actor: UserActor, target: User, changes: UpdateUserDto): void {
  if (target.role === 'owner' && actor.role !== 'owner') {
    throw new AppException(HttpStatus.FORBIDDEN, 'FORBIDDEN', 'Only an owner can change an owner.');
  }
  if (changes.role) assertMayAssign(actor, changes.role);
  if (target.id === actor.userId && (changes.active === false || (changes.role && changes.role !== target.role))) {
    throw new AppException(HttpStatus.CONFLICT, 'CANNOT_CHANGE_SELF', 'You cannot deactivate yourself or change your own role.');
  }
}

async function assertNotLastOwner(users: ReturnType<TenantRepositories<User>['for']>, target: User): Promise<void> {
  if (target.role !== 'owner' || !target.active) return;
  const owners = await users.count({ role: 'owner', active: true });
  if (owners <= 1) throw new AppException(HttpStatus.CONFLICT, 'LAST_OWNER', 'A dealership must keep at least one active owner.');
}
