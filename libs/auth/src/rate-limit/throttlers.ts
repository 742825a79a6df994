import type { ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import type { ThrottlerOptions } from '@nestjs/throttler';
import type { AppConfig } from '@showroom/core';
import type { RequestWithPrincipal } from '../principal';
import { AUTH_RATE_LIMITED } from './rate-limit.decorator';

const principalOf = (context: ExecutionContext) => context.switchToHttp().getRequest<RequestWithPrincipal>().principal;

/** A signed-in user or key is tracked by identity (across IPs); everyone else by IP. */
function trackIdentity(req: Record<string, unknown>): string {
  const principal = (req as RequestWithPrincipal).principal;
  if (principal?.kind === 'user') return `user:${principal.userId}`;
  if (principal?.kind === 'apiKey') return `key:${principal.apiKeyId}`;
  return `ip:${String(req.ip)}`;
}

const trackIp = (req: Record<string, unknown>) => `ip:${String(req.ip)}`;

/**
 * The limits, all counted in Redis so they hold across pods:
 * - per user or API key: per second and per minute;
 * - per IP for requests with no identity (public routes);
 * - per IP on credential endpoints (@AuthRateLimited), on top of the above: brute force.
 */
export function throttlers(config: AppConfig, reflector: Reflector): ThrottlerOptions[] {
  const limits = config.rateLimit;
  return [
    { name: 'user-second', ttl: 1_000, limit: limits.userPerSecond, getTracker: trackIdentity, skipIf: (c) => !principalOf(c) },
    { name: 'user-minute', ttl: 60_000, limit: limits.userPerMinute, getTracker: trackIdentity, skipIf: (c) => !principalOf(c) },
    { name: 'anonymous', ttl: 60_000, limit: limits.anonymousPerMinute, getTracker: trackIp, skipIf: (c) => !!principalOf(c) },
    {
      name: 'auth',
      ttl: 60_000,
      limit: limits.authPerMinute,
      getTracker: trackIp,
      skipIf: (c) => !reflector.getAllAndOverride<boolean>(AUTH_RATE_LIMITED, [c.getHandler(), c.getClass()]),
    },
  ];
}
