import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@showroom/core';
import type { Dealership } from '../entities/dealership.entity';
import type { User } from '../entities/user.entity';

/** Enough for every user active within one TTL on a busy pod; past it the oldest entry goes. */
const MAX_ENTRIES = 10_000;

interface Entry {
  user: User;
  dealership: Dealership;
  expiresAt: number;
}

/**
 * Process-wide, like passport's strategy registry: in one process that builds several apps
 * (the e2e suites do) the JwtStrategy of the last app built verifies every app's requests, so
 * a change recorded by any app's UsersService must reach the rows that strategy remembers.
 */
const entries = new Map<string, Entry>();
let epoch = 0;

/**
 * The user rows (joined with their dealership) that access-token authentication read in the
 * last AUTH_USER_CACHE_MS, at most one second, in this process. A burst of requests from one
 * user (the console opening a page, an integration's loop) then costs one database read, not
 * one each.
 *
 * Why a deactivation or role change still applies within a second on every pod: no entry
 * lives longer than AUTH_USER_CACHE_MS (config refuses more than 1000), so another pod reads
 * the changed row at the latest one TTL later — whether or not Redis is up, which a pub/sub
 * invalidation would depend on. On the pod that made the change it applies at once:
 * UsersService forgets the user after its transaction commits, and a read that was already
 * under way when that happened is not stored (the `epoch` check), so it cannot put the old
 * row back.
 *
 * A plain Map rather than lru-cache: entries die within a second, so expiry plus a size bound
 * is the whole policy, and adding lru-cache 11 would displace the older copy other packages
 * share in node_modules.
 */
@Injectable()
export class RecentlyVerifiedUsers {
  private readonly ttlMs: number;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.ttlMs = config.auth.userCacheMs;
  }

  /** The rows, if read within the TTL and still for this dealership. */
  get(userId: string, dealershipId: string): { user: User; dealership: Dealership } | undefined {
    const entry = entries.get(userId);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now() || entry.user.dealershipId !== dealershipId) {
      entries.delete(userId);
      return undefined;
    }
    return entry;
  }

  /** Taken before a read: `remember` stores its result only if nothing was forgotten since. */
  currentEpoch(): number {
    return epoch;
  }

  remember(user: User, dealership: Dealership, readEpoch: number): void {
    if (this.ttlMs === 0 || readEpoch !== epoch) return;
    if (entries.size >= MAX_ENTRIES) this.evictOne();
    entries.delete(user.id); // re-inserted last, so the Map's order stays oldest first
    entries.set(user.id, { user, dealership, expiresAt: Date.now() + this.ttlMs });
  }

  /** After a change to the user has committed: the next request reads the row again. */
  forget(userId: string): void {
    epoch += 1;
    entries.delete(userId);
  }

  private evictOne(): void {
    const oldest = entries.keys().next();
    if (!oldest.done) entries.delete(oldest.value);
  }
}
