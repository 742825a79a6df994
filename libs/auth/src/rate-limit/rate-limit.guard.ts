import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { ThrottlerLimitDetail } from '@nestjs/throttler/dist/throttler.guard.interface';
import { INFRASTRUCTURE_ROUTE, RateLimitExceeded } from '@showroom/core';
import type { Response } from 'express';

/**
 * @nestjs/throttler's guard with our conventions: probes are never limited, and a 429 carries
 * a plain `Retry-After` (seconds) and the error envelope.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    return this.reflector.getAllAndOverride<boolean>(INFRASTRUCTURE_ROUTE, [context.getHandler(), context.getClass()]) ?? false;
  }

  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const retryAfter = Math.max(1, detail.timeToBlockExpire || detail.timeToExpire);
    context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(retryAfter));
    throw new RateLimitExceeded(retryAfter);
  }
}
