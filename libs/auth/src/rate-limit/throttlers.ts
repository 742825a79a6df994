import type { ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import type { ThrottlerOptions } from '@nestjs/throttler';
import { type AppConfig, type RateLimitRule, routeMetadata } from '@showroom/core';
import type { Principal, RequestWithPrincipal } from '../principal';
import { AUTH_RATE_LIMITED } from './rate-limit.decorator';

const principalOf = (context: ExecutionContext) => context.switchToHttp().getRequest<RequestWithPrincipal>().principal;

/** A signed-in user or key is tracked by identity (across IPs and transports). */
export const identityTracker = (principal: Principal) => (principal.kind === 'user' ? `user:${principal.userId}` : `key:${principal.apiKeyId}`);

export const ipTracker = (ip: unknown) => `ip:${String(ip)}`;
const trackIp = (req: Record<string, unknown>) => ipTracker(req.ip);

/**
 * The budget key is the tracker alone. @nestjs/throttler's default key also holds the
 * controller and handler, which gave every route its own budget; a limit "per user" is one
 * budget across routes.
 */
const oneBudget = (_context: ExecutionContext, tracker: string) => tracker;

/**
 * The per-identity budgets (RATE_LIMIT_USER_PER_SECOND / _PER_MINUTE): one per user or key,
 * spent by HTTP requests on any route and by socket commands alike.
 */
export const identityRules = (config: AppConfig): RateLimitRule[] => [
  { name: 'user-second', windowMs: 1_000, limit: config.rateLimit.userPerSecond, blockMs: 1_000 },
  { name: 'user-minute', windowMs: 60_000, limit: config.rateLimit.userPerMinute, blockMs: 60_000 },
];

/** Per IP, WebSocket handshakes, whatever their credential (RATE_LIMIT_WS_HANDSHAKES_PER_MINUTE). */
export const handshakeRule = (config: AppConfig): RateLimitRule => ({
  name: 'ws-handshake',
  windowMs: 60_000,
  limit: config.rateLimit.wsHandshakesPerMinute,
  blockMs: 60_000,
});

/**
 * Per IP, requests refused for a missing, invalid, expired or revoked token or key. They never
 * reach the throttler (authentication runs first), so the authentication guard counts them. Its
 * own budget, not the anonymous one: sign-ins from a dealership's shared IP must not lock that
 * office's signed-in staff out.
 */
export const refusedCredentialsRule = (config: AppConfig): RateLimitRule => ({
  name: 'refused-credentials',
  windowMs: 60_000,
  limit: config.rateLimit.refusedCredentialsPerMinute,
  blockMs: 60_000,
});

/**
 * The limits, all counted in Redis so they hold across pods:
 * - per user or API key: per second and per minute, one budget across routes (and sockets),
 *   spent by RateLimitGuard itself in one call (identityRules);
 * - per IP for requests with no identity (public routes);
 * - per IP for refused credentials (counted by the authentication guard, refusedCredentialsRule);
 * - per IP on credential endpoints (@AuthRateLimited), on top of the above: brute force.
 * The last two per-IP ones are @nestjs/throttler's throttlers, returned here.
 */
export function throttlers(config: AppConfig, reflector: Reflector): ThrottlerOptions[] {
  const limits = config.rateLimit;
  return [
    { name: 'anonymous', ttl: 60_000, limit: limits.anonymousPerMinute, getTracker: trackIp, generateKey: oneBudget, skipIf: (c) => !!principalOf(c) },
    {
      name: 'auth',
      ttl: 60_000,
      limit: limits.authPerMinute,
      getTracker: trackIp,
      generateKey: oneBudget,
      skipIf: (c) => !routeMetadata<boolean>(reflector, AUTH_RATE_LIMITED, c),
    },
  ];
}
