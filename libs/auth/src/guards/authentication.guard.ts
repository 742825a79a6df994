import { ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { APP_CONFIG, AppConfig, AppException, INFRASTRUCTURE_ROUTE, RateLimitExceeded, RateLimitRule, RateLimiter, retryAfterSeconds, routeMetadata } from '@showroom/core';
import type { Response } from 'express';
import type { Principal, RequestWithPrincipal } from '../principal';
import { ipTracker, refusedCredentialsRule } from '../rate-limit/throttlers';
import { AuthErrors } from '../tokens/auth-errors';
import { PUBLIC_ROUTE } from './auth.decorators';

/**
 * Global guard: every api route needs a valid access token or API key unless marked
 * @Public() or @InfrastructureRoute(). The principal lands on `req.principal`.
 *
 * A request that fails here never reaches the throttler, so the guard limits those itself,
 * before authenticating: each refused request (no, bad, expired or revoked credential) spends
 * one unit of its IP's refused-credentials budget, and an IP that has spent it is answered 429
 * with Retry-After without any token being checked. A flood of bad tokens or keys is bounded;
 * a valid credential costs one Redis read more.
 */
@Injectable()
export class AuthenticationGuard extends AuthGuard(['jwt', 'api-key']) {
  private readonly refusedRule: RateLimitRule;

  constructor(
    private readonly reflector: Reflector,
    private readonly limiter: RateLimiter,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    super();
    this.refusedRule = refusedCredentialsRule(config);
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    if (routeMetadata<boolean>(this.reflector, PUBLIC_ROUTE, context)) return true;
    if (routeMetadata<boolean>(this.reflector, INFRASTRUCTURE_ROUTE, context)) return true;
    const http = context.switchToHttp();
    const who = ipTracker(http.getRequest<RequestWithPrincipal>().ip);
    try {
      await this.limiter.assertNotExceeded(this.refusedRule, who);
      return (await super.canActivate(context)) as boolean;
    } catch (error) {
      let refusal = error;
      if (error instanceof AppException && error.status === 401) {
        const spent = await this.limiter.hit(this.refusedRule, who);
        if (spent.blocked) refusal = new RateLimitExceeded(retryAfterSeconds(spent));
      }
      if (refusal instanceof RateLimitExceeded) http.getResponse<Response>().setHeader('Retry-After', String(refusal.retryAfterSeconds));
      throw refusal;
    }
  }

  override handleRequest<T = Principal>(error: unknown, principal: T | false, info: unknown, context: ExecutionContext): T {
    if (error) throw error;
    if (principal) {
      context.switchToHttp().getRequest<RequestWithPrincipal>().principal = principal as unknown as Principal;
      return principal;
    }
    const reasons = Array.isArray(info) ? info : [info];
    // passport-jwt passes jsonwebtoken's TokenExpiredError as `info`.
    if (reasons.some((reason) => (reason as Error | undefined)?.name === 'TokenExpiredError')) throw AuthErrors.tokenExpired();
    throw AuthErrors.unauthenticated();
  }
}
