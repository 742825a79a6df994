import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Tenant } from '@showroom/auth';
import { DataSource } from 'typeorm';
import type { ChatUser } from '../conversations/conversation-access';

export interface DirectoryUser {
  id: string;
  name: string;
  role: ChatUser['role'];
  active: boolean;
}

/**
 * The names a file shows (dealership, participants) and the requester's current role, read
 * at generation time. Reads the auth lib's tables by dealership id only; auth exposes no
 * reader for them yet (a candidate for one, if another lib needs the same).
 */
@Injectable()
export class ExportDirectory {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async dealershipName(tenant: Tenant): Promise<string> {
    const [row] = (await this.dataSource.query(`SELECT name FROM dealerships WHERE id = $1`, [tenant.dealershipId])) as { name: string }[];
    return row?.name ?? 'Dealership';
  }

  async user(tenant: Tenant, userId: string): Promise<DirectoryUser | undefined> {
    const [row] = (await this.dataSource.query(`SELECT id, name, role, active FROM users WHERE id = $1 AND dealership_id = $2`, [userId, tenant.dealershipId])) as DirectoryUser[];
    return row;
  }

  /** The requester as chat's access rules see them now, or undefined once deactivated. */
  async activeChatUser(tenant: Tenant, userId: string): Promise<ChatUser | undefined> {
    const user = await this.user(tenant, userId);
    return user?.active ? { kind: 'user', userId: user.id, dealershipId: tenant.dealershipId, role: user.role } : undefined;
  }
}
