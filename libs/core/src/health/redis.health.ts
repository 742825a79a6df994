import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { RedisConnections } from '../redis/redis-connections';

@Injectable()
export class RedisHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly redis: RedisConnections,
  ) {}

  ping(timeoutMs: number) {
    return this.health
      .check('redis')
      .attempt(async () => {
        const reply = await this.redis.shared.ping();
        if (reply !== 'PONG') throw new Error(`unexpected PING reply ${reply}`);
      })
      .withTimeout(timeoutMs);
  }
}
