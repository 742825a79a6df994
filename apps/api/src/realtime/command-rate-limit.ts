import { HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import type { Principal } from '@showroom/auth';
import { APP_CONFIG, AppConfig, AppException, RedisConnections } from '@showroom/core';

/**
 * Per-identity limits on socket commands, with the HTTP limits' values
 * (RATE_LIMIT_USER_PER_SECOND / _PER_MINUTE), counted in Redis so they hold across pods. A
 * socket bypasses the HTTP throttler, so without this one connection could ask without limit.
 * The HTTP storage counts per route and is internal to libs/auth, so this is a separate fixed
 * window (INCR + PEXPIRE NX in one round trip). Like the HTTP limiter it FAILS OPEN when Redis
 * is unreachable: a Redis outage weakens abuse protection, it does not stop chat.
 */
@Injectable()
export class CommandRateLimit {
  private readonly logger = new Logger(CommandRateLimit.name);
  private lastWarning = 0;

  constructor(
    private readonly redis: RedisConnections,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async take(principal: Principal): Promise<void> {
    const who = principal.kind === 'user' ? `user:${principal.userId}` : `key:${principal.apiKeyId}`;
    const windows = [
      { name: 'second', ms: 1_000, limit: this.config.rateLimit.userPerSecond },
      { name: 'minute', ms: 60_000, limit: this.config.rateLimit.userPerMinute },
    ];
    let results: [Error | null, unknown][] | null;
    try {
      const multi = this.redis.shared.multi();
      for (const w of windows) multi.incr(this.key(w.name, who)).pexpire(this.key(w.name, who), w.ms, 'NX').pttl(this.key(w.name, who));
      results = await multi.exec();
    } catch (error) {
      if (Date.now() - this.lastWarning > 10_000) {
        this.lastWarning = Date.now();
        this.logger.warn(`socket rate limiting is off while Redis is unreachable (fail open): ${(error as Error).message}`);
      }
      return;
    }
    windows.forEach((w, i) => {
      const hits = Number(results?.[i * 3]?.[1] ?? 0);
      const ttl = Number(results?.[i * 3 + 2]?.[1] ?? w.ms);
      if (hits > w.limit) {
        const retryAfter = Math.max(1, Math.ceil(ttl / 1000));
        throw new AppException(HttpStatus.TOO_MANY_REQUESTS, 'RATE_LIMITED', `Too many requests; retry in ${retryAfter} s.`);
      }
    });
  }

  private key(window: string, who: string): string {
    return this.redis.key('ratelimit', 'ws', window, who);
  }
}
