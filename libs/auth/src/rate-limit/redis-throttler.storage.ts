import { Injectable } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface';
import { RateLimiter } from '@showroom/core';

/**
 * @nestjs/throttler's storage over core's RateLimiter, the one rate-limit mechanism (Redis fixed
 * windows shared by every pod, failing open when Redis is down). Written rather than taken from
 * @nest-lab/throttler-storage-redis because that package's peer range stops at NestJS 11.
 */
@Injectable()
export class RedisThrottlerStorage implements ThrottlerStorage {
  constructor(private readonly limiter: RateLimiter) {}

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    const result = await this.limiter.hit({ name: throttlerName, windowMs: ttl, limit, blockMs: blockDuration }, key);
    return {
      totalHits: result.hits,
      timeToExpire: Math.ceil(result.msToWindowEnd / 1000),
      isBlocked: result.blocked,
      timeToBlockExpire: Math.ceil(result.msToRetry / 1000),
    };
  }
}
