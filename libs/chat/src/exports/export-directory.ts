import { Injectable } from '@nestjs/common';
import { type DirectoryMember, IdentityDirectory, type Tenant } from '@showroom/auth';
import type { ChatUser } from '../conversations/conversation-access';

export type DirectoryUser = DirectoryMember;

/**
 * The names a file shows (dealership, participants) and the requester's current role, read
 * at generation time through auth's IdentityDirectory.
 */
@Injectable()
export class ExportDirectory {
  constructor(private readonly identities: IdentityDirectory) {}

  async dealershipName(tenant: Tenant): Promise<string> {
    return (await this.identities.dealershipName(tenant)) ?? 'Dealership';
  }

  async user(tenant: Tenant, userId: string): Promise<DirectoryUser | undefined> {
    return this.identities.member(tenant, userId);
  }

  /** The requester as chat's access rules see them now, or undefined once deactivated. */
  async activeChatUser(tenant: Tenant, userId: string): Promise<ChatUser | undefined> {
    const user = await this.user(tenant, userId);
    return user?.active ? { kind: 'user', userId: user.id, dealershipId: tenant.dealershipId, role: user.role } : undefined;
  }
}
