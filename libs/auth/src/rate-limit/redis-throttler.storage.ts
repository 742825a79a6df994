import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface';
import { MetricsRegistry, RedisConnections } from '@showroom/core';
import { Counter } from 'prom-client';

/**
 * Fixed-window counter plus block, in one Lua call so concurrent requests on any pod see one
 * consistent count. Returns {hits, msToWindowEnd, blocked, msToBlockEnd}.
 */
const INCREMENT_SCRIPT = `
local blockTtl = redis.call('PTTL', KEYS[2])
if blockTtl > 0 then
  return {tonumber(redis.call('GET', KEYS[1]) or '0'), redis.call('PTTL', KEYS[1]), 1, blockTtl}
end
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local windowTtl = redis.call('PTTL', KEYS[1])
if hits > tonumber(ARGV[2]) then
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
  return {hits, windowTtl, 1, tonumber(ARGV[3])}
end
return {hits, windowTtl, 0, 0}
`;

const NOT_LIMITED: ThrottlerStorageRecord = { totalHits: 0, timeToExpire: 0, isBlocked: false, timeToBlockExpire: 0 };

/**
 * Rate-limit counters in Redis, shared by every api pod. Written here rather than taken from
 * @nest-lab/throttler-storage-redis because that package's peer range stops at NestJS 11.
 *
 * When Redis cannot be reached the limiter FAILS OPEN: requests go through unlimited, a
 * warning is logged and `rate_limit_storage_errors_total` counts it. A Redis outage then
 * degrades abuse protection for its duration instead of taking every endpoint down with it;
 * the counter is there to alert on.
 */
@Injectable()
export class RedisThrottlerStorage implements ThrottlerStorage {
  private readonly logger = new Logger(RedisThrottlerStorage.name);
  private readonly errors: Counter;
  private lastWarning = 0;

  constructor(
    private readonly redis: RedisConnections,
    @Inject(MetricsRegistry) registry: MetricsRegistry,
  ) {
    this.errors = new Counter({
      name: 'rate_limit_storage_errors_total',
      help: 'Rate-limit checks let through because Redis could not be reached (fail open)',
      registers: [registry],
    });
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    const hitsKey = this.redis.key('ratelimit', throttlerName, key);
    try {
      const [hits, windowMs, blocked, blockMs] = (await this.redis.shared.eval(
        INCREMENT_SCRIPT,
        2,
        hitsKey,
        `${hitsKey}:blocked`,
        String(ttl),
        String(limit),
        String(blockDuration),
      )) as [number, number, number, number];
      return {
        totalHits: hits,
        timeToExpire: Math.max(0, Math.ceil(windowMs / 1000)),
        isBlocked: blocked === 1,
        timeToBlockExpire: Math.max(0, Math.ceil(blockMs / 1000)),
      };
    } catch (error) {
      this.errors.inc();
      if (Date.now() - this.lastWarning > 10_000) {
        this.lastWarning = Date.now();
        this.logger.warn(`rate limiting is off while Redis is unreachable (fail open): ${(error as Error).message}`);
      }
      return NOT_LIMITED;
    }
  }
}
