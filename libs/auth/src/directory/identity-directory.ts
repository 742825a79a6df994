import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Dealership } from '../entities/dealership.entity';
import { User } from '../entities/user.entity';
import type { Tenant } from '../principal';
import type { Role } from '../roles';
import { InjectTenantRepositories } from '../tenancy/inject-tenant-repositories.decorator';
import type { TenantRepositories } from '../tenancy/tenant-scoped.repository';

/** A member of a dealership as other libs may see them: no email, no password hash. */
export interface DirectoryMember {
  id: string;
  name: string;
  role: Role;
  active: boolean;
}

/**
 * Read-only names and roles for other libs (an export shows the dealership and who spoke),
 * so they need not read auth's tables. Scoped by the caller's dealership like every read.
 */
@Injectable()
export class IdentityDirectory {
  constructor(
    @InjectRepository(Dealership) private readonly dealerships: Repository<Dealership>,
    @InjectTenantRepositories(User) private readonly users: TenantRepositories<User>,
  ) {}

  async dealershipName(tenant: Tenant): Promise<string | undefined> {
    // The tenant's own row: its id comes from the verified token, never from input.
    return (await this.dealerships.findOne({ where: { id: tenant.dealershipId }, select: { id: true, name: true } }))?.name;
  }

  async member(tenant: Tenant, userId: string): Promise<DirectoryMember | undefined> {
    const user = await this.users.for(tenant).findOne({ where: { id: userId }, select: { id: true, name: true, role: true, active: true } });
    return user ? { id: user.id, name: user.name, role: user.role, active: user.active } : undefined;
  }
}
