import { Global, Module } from '@nestjs/common';
import { RateLimiter } from './rate-limiter';

/** Every module may count against a budget (HTTP guards, socket handshakes and commands). */
@Global()
@Module({ providers: [RateLimiter], exports: [RateLimiter] })
export class RateLimitModule {}
