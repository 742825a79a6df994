import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { InjectTenantRepositories, Principal, Tenant, TenantRepositories } from '@showroom/auth';
import { ConversationsService } from '@showroom/chat';
import { APP_CONFIG, AppConfig } from '@showroom/core';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AVATAR_PROVIDER, AvatarProvider, AvatarStartRequest, ProviderSession } from '../providers/avatar-provider.port';
import { ProviderSessionGone, avatarNotConfigured } from '../providers/provider-errors';
import { sessionEnded, sessionNotFound, quotaExceeded } from './avatar-errors';
import { AvatarSession } from './avatar-session.entity';
import { AvatarSessionView, avatarSessionView } from './avatar-session.view';
import { SessionEndings } from './session-endings';
import { USAGE_THIS_MONTH } from './session-sql';

/** Avatar sessions belong to signed-in users (API keys are refused at the controller). */
export type AvatarUser = Extract<Principal, { kind: 'user' }>;

export interface CreateSessionInput extends AvatarStartRequest {
  conversationId?: string;
}

/** An open session the caller owns, with what the adapter needs to reach it. */
export interface OwnedSession {
  row: AvatarSession;
  provider: AvatarProvider;
  vendor: ProviderSession;
}

// Concurrent starts of one dealership take turns on this lock, so the quota cannot be raced.
const QUOTA_LOCK = 4_227_013;

/**
 * Avatar sessions: started within the dealership's quotas, each bound to a conversation the
 * caller can see (a new one when none is named), visible and usable only by the user who
 * started it (anyone else, in any dealership, gets 404).
 */
@Injectable()
export class AvatarSessions {
  private readonly logger = new Logger(AvatarSessions.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectTenantRepositories(AvatarSession) private readonly sessions: TenantRepositories<AvatarSession>,
    @Inject(AVATAR_PROVIDER) private readonly provider: AvatarProvider | null,
    private readonly conversations: ConversationsService,
    private readonly endings: SessionEndings,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(user: AvatarUser, tenant: Tenant, input: CreateSessionInput): Promise<AvatarSessionView> {
    const provider = this.requireProvider();
    const conversationId = input.conversationId
      ? (await this.conversations.get(user, tenant, input.conversationId)).id // 404 CONVERSATION_NOT_FOUND for anyone else's
      : (await this.conversations.create(user, tenant, {})).id;
    const row = await this.reserve(user, tenant, conversationId, provider);
    let started;
    try {
      started = await provider.start({ avatarId: input.avatarId, voice: input.voice });
    } catch (error) {
      await this.endings.end(row.id, 'start_failed', tenant.dealershipId);
      throw error;
    }
    const now = new Date();
    const vendorLimit = started.maxDurationSeconds ? now.getTime() + started.maxDurationSeconds * 1000 : Infinity;
    const expiresAt = new Date(Math.min(now.getTime() + this.config.avatar.maxSessionSeconds * 1000, vendorLimit));
    const changes = {
      status: 'active' as const,
      providerSessionId: started.providerSessionId,
      providerHandle: started.handle,
      livekitUrl: started.livekitUrl,
      livekitToken: started.livekitToken,
      startedAt: now,
      keepAliveAt: now,
      lastActiveAt: now,
      clientSeenAt: now,
      expiresAt,
    };
    const updated = await this.sessions.for(tenant).update({ id: row.id, status: 'starting' }, changes);
    if (updated === 0) {
      // Ended while the vendor was starting it (the sweep judged the start stuck): stop it there too.
      await provider.stop(started).catch(() => undefined);
      throw sessionEnded('start_failed');
    }
    return avatarSessionView({ ...row, ...changes });
  }

  async get(user: AvatarUser, tenant: Tenant, id: string): Promise<AvatarSessionView> {
    await this.sessions.for(tenant).update({ id, userId: user.userId, status: 'active' }, { clientSeenAt: new Date() });
    return avatarSessionView(await this.find(user, tenant, id));
  }

  /** The client is still there (the console calls this, or GET, well within AVATAR_CLIENT_TIMEOUT_SECONDS). */
  async keepAlive(user: AvatarUser, tenant: Tenant, id: string): Promise<AvatarSessionView> {
    const { row } = await this.open(user, tenant, id);
    return avatarSessionView(row);
  }

  async end(user: AvatarUser, tenant: Tenant, id: string): Promise<AvatarSessionView> {
    await this.find(user, tenant, id);
    await this.endings.end(id, 'client_stopped', tenant.dealershipId);
    return avatarSessionView(await this.find(user, tenant, id));
  }

  /**
   * An active session of the caller, marked as seen (and, with `speaking`, as active for the
   * idle timeout). 404 for anyone else's; 409 AVATAR_SESSION_ENDED once ended.
   */
  async open(user: AvatarUser, tenant: Tenant, id: string, speaking = false): Promise<OwnedSession> {
    const provider = this.requireProvider();
    const row = await this.find(user, tenant, id);
    if (row.status !== 'active') throw sessionEnded(row.endReason);
    const now = new Date();
    const touched = speaking ? { clientSeenAt: now, lastActiveAt: now } : { clientSeenAt: now };
    await this.sessions.for(tenant).update({ id, status: 'active' }, touched);
    return { row: { ...row, ...touched }, provider, vendor: { providerSessionId: row.providerSessionId!, handle: row.providerHandle! } };
  }

  /** A vendor call on a session it no longer knows ends the row (`provider_dropped`) and answers 409. */
  async onVendorError(session: OwnedSession, tenant: Tenant, error: unknown): Promise<never> {
    if (error instanceof ProviderSessionGone) {
      this.logger.warn(`avatar session ${session.row.id}: ${error.message}`);
      await this.endings.end(session.row.id, 'provider_dropped', tenant.dealershipId);
      throw sessionEnded('provider_dropped');
    }
    throw error;
  }

  private async find(user: AvatarUser, tenant: Tenant, id: string): Promise<AvatarSession> {
    const row = await this.sessions.for(tenant).findOneBy({ id, userId: user.userId });
    if (!row) throw sessionNotFound();
    return row;
  }

  /** Checks the quotas and records the session as `starting`, in one transaction under the dealership's lock. */
  private reserve(user: AvatarUser, tenant: Tenant, conversationId: string, provider: AvatarProvider): Promise<AvatarSession> {
    const limits = this.config.avatar;
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [QUOTA_LOCK, tenant.dealershipId]);
      const [usage] = (await manager.query(USAGE_THIS_MONTH, [tenant.dealershipId])) as { open: number; seconds: number }[];
      const open = usage?.open ?? 0;
      const minutes = Math.floor((usage?.seconds ?? 0) / 60);
      if (open >= limits.maxConcurrentSessions) {
        throw quotaExceeded(`Your dealership already has ${open} avatar session(s) open, the most it may have at once; end one first.`, [
          { field: 'concurrentSessions', message: `at most ${limits.maxConcurrentSessions}` },
        ]);
      }
      if (minutes >= limits.monthlyMinutes) {
        throw quotaExceeded(`Your dealership has used its ${limits.monthlyMinutes} avatar minutes for this month.`, [
          { field: 'monthlyMinutes', message: `at most ${limits.monthlyMinutes} per calendar month (UTC)` },
        ]);
      }
      const now = new Date();
      return this.sessions.for(tenant, manager).insert({
        id: randomUUID(),
        userId: user.userId,
        conversationId,
        provider: provider.name,
        mode: provider.mode,
        status: 'starting',
        providerSessionId: null,
        providerHandle: null,
        livekitUrl: null,
        livekitToken: null,
        startedAt: null,
        lastActiveAt: now,
        clientSeenAt: now,
        keepAliveAt: null,
        expiresAt: new Date(now.getTime() + limits.maxSessionSeconds * 1000),
        endedAt: null,
        endReason: null,
        secondsUsed: 0,
        createdAt: now,
      });
    });
  }

  private requireProvider(): AvatarProvider {
    if (!this.provider) throw avatarNotConfigured();
    return this.provider;
  }
}
