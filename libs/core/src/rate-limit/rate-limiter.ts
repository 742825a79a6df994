import { HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import { Counter } from 'prom-client';
import { AppException } from '../errors/app.exception';
import { MetricsRegistry } from '../metrics/metrics.registry';
import { RedisConnections } from '../redis/redis-connections';

/**
 * Fixed-window counter plus block, in one Lua call so concurrent requests on any pod see one
 * consistent count. Counts one hit against each budget in turn (KEYS: counter and block key per
 * budget; ARGV: windowMs, limit, blockMs per budget) and stops after the first that refuses, as
 * separate calls in that order would: a request refused per second spends nothing per minute.
 * Returns {hits, msToWindowEnd, blocked, msToBlockEnd} per budget counted.
 */
const HIT_SCRIPT = `
local results = {}
for i = 1, #KEYS / 2 do
  local key, blockedKey = KEYS[2 * i - 1], KEYS[2 * i]
  local windowMs, limit, blockMs = ARGV[3 * i - 2], tonumber(ARGV[3 * i - 1]), tonumber(ARGV[3 * i])
  local blockTtl = redis.call('PTTL', blockedKey)
  if blockTtl > 0 then
    table.insert(results, {tonumber(redis.call('GET', key) or '0'), redis.call('PTTL', key), 1, blockTtl})
    return results
  end
  local hits = redis.call('INCR', key)
  if hits == 1 then redis.call('PEXPIRE', key, windowMs) end
  local windowTtl = redis.call('PTTL', key)
  if hits > limit then
    if blockMs > 0 then redis.call('SET', blockedKey, '1', 'PX', blockMs) else blockMs = windowTtl end
    table.insert(results, {hits, windowTtl, 1, blockMs})
    return results
  end
  table.insert(results, {hits, windowTtl, 0, 0})
end
return results
`;

/** Reads a budget without counting: {hits, msToWindowEnd, msToBlockEnd}. */
const CHECK_SCRIPT = `
return {tonumber(redis.call('GET', KEYS[1]) or '0'), redis.call('PTTL', KEYS[1]), redis.call('PTTL', KEYS[2])}
`;

/** One budget: `limit` hits per `windowMs`; past it, refused for `blockMs` (default: the rest of the window). */
export interface RateLimitRule {
  /** Names the budget in Redis keys and logs ("user-minute", "ws-handshake"). */
  name: string;
  windowMs: number;
  limit: number;
  blockMs?: number;
}

export interface RateLimitResult {
  hits: number;
  msToWindowEnd: number;
  blocked: boolean;
  /** When blocked: how long until a retry can pass. */
  msToRetry: number;
}

interface RateLimitCommands {
  showroomRateLimitHit(...keysThenArgs: string[]): Promise<unknown>;
  showroomRateLimitCheck(key: string, blockedKey: string): Promise<unknown>;
}

const PASS: RateLimitResult = { hits: 0, msToWindowEnd: 0, blocked: false, msToRetry: 0 };

/** A 429 in the envelope; `retryAfterSeconds` is what HTTP puts in Retry-After and sockets in the frame. */
export class RateLimitExceeded extends AppException {
  constructor(readonly retryAfterSeconds: number) {
    // The retry time is in details too: a socket has no Retry-After header.
    super(HttpStatus.TOO_MANY_REQUESTS, 'RATE_LIMITED', `Too many requests; retry in ${retryAfterSeconds} s.`, [
      { field: 'retryAfter', message: String(retryAfterSeconds) },
    ]);
  }
}

/**
 * The one rate-limit mechanism: fixed windows counted in Redis so a budget holds across pods,
 * used by the HTTP throttler (its storage), the pre-authentication limits and the socket
 * handshake and command limits.
 *
 * When Redis cannot be reached the limiter FAILS OPEN: the hit passes, a warning is logged
 * (at most every 10 s) and `rate_limit_storage_errors_total` counts it. A Redis outage then
 * degrades abuse protection for its duration instead of taking every endpoint down with it;
 * the counter is there to alert on.
 */
@Injectable()
export class RateLimiter {
  private readonly logger = new Logger(RateLimiter.name);
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

  /** Counts one hit of `who` against the rule. */
  async hit(rule: RateLimitRule, who: string): Promise<RateLimitResult> {
    return (await this.hitInTurn([rule], who))[0] ?? PASS;
  }

  /**
   * Counts one hit of `who` against each rule in turn, in one Redis call (one round trip for a
   * per-second and a per-minute budget), stopping after the first rule that refuses: the
   * results are those of the rules counted, the last one blocked if any was.
   */
  async hitInTurn(rules: readonly RateLimitRule[], who: string): Promise<RateLimitResult[]> {
    const keys: string[] = [];
    const args: string[] = [];
    for (const rule of rules) {
      const key = this.key(rule, who);
      keys.push(key, `${key}:blocked`);
      args.push(String(rule.windowMs), String(rule.limit), String(rule.blockMs ?? 0));
    }
    try {
      const replies = (await this.commands().showroomRateLimitHit(String(keys.length), ...keys, ...args)) as [number, number, number, number][];
      return replies.map(([hits, windowMs, blocked, blockMs]) => ({ hits, msToWindowEnd: Math.max(0, windowMs), blocked: blocked === 1, msToRetry: Math.max(0, blockMs) }));
    } catch (error) {
      this.failedOpen(error);
      return rules.map(() => PASS);
    }
  }

  /** Counts one hit against each rule (see hitInTurn) and throws RateLimitExceeded (429) when one is spent. */
  async take(rules: RateLimitRule | readonly RateLimitRule[], who: string): Promise<void> {
    const results = await this.hitInTurn(Array.isArray(rules) ? rules : [rules as RateLimitRule], who);
    const refused = results.find((result) => result.blocked);
    if (refused) throw new RateLimitExceeded(retryAfterSeconds(refused));
  }

  /** Without counting: is `who` over this budget right now? Throws RateLimitExceeded if so. */
  async assertNotExceeded(rule: RateLimitRule, who: string): Promise<void> {
    const key = this.key(rule, who);
    let blockMs = 0;
    try {
      // A script rather than MULTI: one EVALSHA, without building an ioredis Pipeline per request.
      const [hits, windowMs, blockTtl] = (await this.commands().showroomRateLimitCheck(key, `${key}:blocked`)) as [number, number, number];
      if (blockTtl > 0) blockMs = blockTtl;
      else if (hits >= rule.limit && windowMs > 0) blockMs = windowMs;
    } catch (error) {
      this.failedOpen(error);
      return;
    }
    if (blockMs > 0) throw new RateLimitExceeded(Math.max(1, Math.ceil(blockMs / 1000)));
  }

  /**
   * The scripts as ioredis commands: sent as EVALSHA (the SHA, not the Lua text, on every call),
   * falling back to EVAL once if Redis has not seen them (after a restart or failover).
   */
  private commands(): RateLimitCommands {
    const redis = this.redis.shared as typeof this.redis.shared & Partial<RateLimitCommands>;
    if (!redis.showroomRateLimitHit) {
      // The number of keys varies with the number of budgets: the caller passes it first.
      redis.defineCommand('showroomRateLimitHit', { lua: HIT_SCRIPT });
      redis.defineCommand('showroomRateLimitCheck', { numberOfKeys: 2, lua: CHECK_SCRIPT });
    }
    return redis as unknown as RateLimitCommands;
  }

  private key(rule: RateLimitRule, who: string): string {
    return this.redis.key('ratelimit', rule.name, who);
  }

  private failedOpen(error: unknown): void {
    this.errors.inc();
    if (Date.now() - this.lastWarning > 10_000) {
      this.lastWarning = Date.now();
      this.logger.warn(`rate limiting is off while Redis is unreachable (fail open): ${(error as Error).message}`);
    }
  }
}

export const retryAfterSeconds = (result: RateLimitResult) => Math.max(1, Math.ceil((result.msToRetry || result.msToWindowEnd) / 1000));
