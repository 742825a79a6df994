import { Injectable, Logger } from '@nestjs/common';
import { RedisConnections } from '@showroom/core';

/** A dealership's search is recorded at most this often per process (one ZADD, not one per search). */
const TOUCH_EVERY_MS = 60_000;
/** The set keeps this many dealerships, most recently searched. */
const KEEP = 1_000;

/**
 * Which dealerships were searched lately, across pods (a Redis sorted set by last search time),
 * so a starting pod can load their indexes before their next question arrives. Best effort:
 * Redis being away only means a pod starts cold.
 */
@Injectable()
export class RecentDealerships {
  private readonly logger = new Logger(RecentDealerships.name);
  private readonly lastTouched = new Map<string, number>();

  constructor(private readonly redis: RedisConnections) {}

  touch(dealershipId: string): void {
    const now = Date.now();
    if (now - (this.lastTouched.get(dealershipId) ?? 0) < TOUCH_EVERY_MS) return;
    if (this.lastTouched.size >= KEEP) this.lastTouched.clear();
    this.lastTouched.set(dealershipId, now);
    const key = this.key();
    this.redis.shared
      .multi()
      .zadd(key, now, dealershipId)
      .zremrangebyrank(key, 0, -KEEP - 1)
      .exec()
      .catch((error: Error) => this.logger.debug(`search not recorded: ${error.message}`));
  }

  /** Up to `limit` dealerships searched within `withinMs`, most recent first. */
  async list(limit: number, withinMs: number): Promise<string[]> {
    try {
      return await this.redis.shared.zrevrangebyscore(this.key(), '+inf', Date.now() - withinMs, 'LIMIT', 0, limit);
    } catch (error) {
      this.logger.debug(`recent searches not read: ${(error as Error).message}`);
      return [];
    }
  }

  private key(): string {
    return this.redis.key('search', 'recent-dealerships');
  }
}
