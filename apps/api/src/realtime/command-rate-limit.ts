import { Inject, Injectable } from '@nestjs/common';
import { Principal, handshakeRule, identityRules, identityTracker } from '@showroom/auth';
import { APP_CONFIG, AppConfig, RateLimitRule, RateLimiter } from '@showroom/core';

/**
 * The socket's limits, on core's RateLimiter (the HTTP throttler's mechanism, counted in Redis
 * so they hold across pods, failing open when Redis is down):
 * - handshakes per IP (RATE_LIMIT_WS_HANDSHAKES_PER_MINUTE), before any credential is checked;
 * - commands per identity, in the very budgets HTTP requests spend (RATE_LIMIT_USER_PER_SECOND /
 *   _PER_MINUTE): a user has one budget, whether they ask over HTTP or a socket.
 * Both refuse with RateLimitExceeded (429 RATE_LIMITED, retry time in the message and details).
 */
@Injectable()
export class CommandRateLimit {
  private readonly commandRules: RateLimitRule[];
  private readonly handshakes: RateLimitRule;

  constructor(
    private readonly limiter: RateLimiter,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.commandRules = identityRules(config);
    this.handshakes = handshakeRule(config);
  }

  async take(principal: Principal): Promise<void> {
    await this.limiter.take(this.commandRules, identityTracker(principal));
  }

  async takeHandshake(ip: string): Promise<void> {
    await this.limiter.take(this.handshakes, `ip:${ip}`);
  }
}
