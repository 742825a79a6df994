import { ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { InjectThrottlerOptions, InjectThrottlerStorage, ThrottlerGuard, type ThrottlerModuleOptions, type ThrottlerStorage } from '@nestjs/throttler';
import type { ThrottlerLimitDetail } from '@nestjs/throttler/dist/throttler.guard.interface';
import { APP_CONFIG, AppConfig, INFRASTRUCTURE_ROUTE, RateLimitExceeded, RateLimitRule, RateLimiter, routeMetadata } from '@showroom/core';
import type { Response } from 'express';
import type { Principal, RequestWithPrincipal } from '../principal';
import { identityRules, identityTracker } from './throttlers';

/**
 * @nestjs/throttler's guard with our conventions: probes are never limited, and a 429 carries
 * a plain `Retry-After` (seconds) and the error envelope.
 *
 * A signed-in user's or key's budgets (per second, per minute) are spent here in one Redis
 * call (RateLimiter.hitInTurn, as socket commands spend them) rather than as two throttlers,
 * which made one round trip each on every authenticated request. The response headers are the
 * throttler's own for them (`X-RateLimit-{Limit,Remaining,Reset}-user-second` and so on); the
 * per-IP limits stay @nestjs/throttler's.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  private readonly identityRules: RateLimitRule[];

  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly limiter: RateLimiter,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    super(options, storage, reflector);
    this.identityRules = identityRules(config);
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    if (await this.shouldSkip(context)) return true;
    const principal = context.switchToHttp().getRequest<RequestWithPrincipal>().principal;
    if (principal) await this.spendIdentityBudgets(context, principal);
    return super.canActivate(context);
  }

  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    return routeMetadata<boolean>(this.reflector, INFRASTRUCTURE_ROUTE, context) ?? false;
  }

  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const retryAfter = Math.max(1, detail.timeToBlockExpire || detail.timeToExpire);
    context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(retryAfter));
    throw new RateLimitExceeded(retryAfter);
  }

  private async spendIdentityBudgets(context: ExecutionContext, principal: Principal): Promise<void> {
    const tracker = identityTracker(principal);
    const results = await this.limiter.hitInTurn(this.identityRules, tracker);
    const res = context.switchToHttp().getResponse<Response>();
    for (const [index, result] of results.entries()) {
      const rule = this.identityRules[index]!;
      const timeToExpire = Math.ceil(result.msToWindowEnd / 1000);
      if (result.blocked) {
        const timeToBlockExpire = Math.ceil(result.msToRetry / 1000);
        res.header(`Retry-After-${rule.name}`, String(timeToBlockExpire));
        const detail = { limit: rule.limit, ttl: rule.windowMs, key: tracker, tracker, totalHits: result.hits, timeToExpire, isBlocked: true, timeToBlockExpire };
        await this.throwThrottlingException(context, detail);
      }
      res.header(`${this.headerPrefix}-Limit-${rule.name}`, String(rule.limit));
      res.header(`${this.headerPrefix}-Remaining-${rule.name}`, String(Math.max(0, rule.limit - result.hits)));
      res.header(`${this.headerPrefix}-Reset-${rule.name}`, String(timeToExpire));
    }
  }
}
