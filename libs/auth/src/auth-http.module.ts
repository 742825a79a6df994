import { Module } from '@nestjs/common';
import { APP_GUARD, Reflector } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { ThrottlerModule } from '@nestjs/throttler';
import { APP_CONFIG, AppConfig } from '@showroom/core';
import { ApiKeysController } from './api-keys/http/api-keys.controller';
import { AuditEventsController } from './audit/http/audit-events.controller';
import { AuthModule } from './auth.module';
import { AuthController } from './auth/http/auth.controller';
import { ApiKeyStrategy } from './guards/api-key.strategy';
import { AuthenticationGuard } from './guards/authentication.guard';
import { JwtStrategy } from './guards/jwt.strategy';
import { PlatformController } from './platform/http/platform.controller';
import { PlatformService } from './platform/platform.service';
import { RolesGuard } from './guards/roles.guard';
import { RateLimitGuard } from './rate-limit/rate-limit.guard';
import { RedisThrottlerStorage } from './rate-limit/redis-throttler.storage';
import { throttlers } from './rate-limit/throttlers';
import { UsersController } from './users/http/users.controller';

/** Lets ThrottlerModule's async factory receive our Redis storage. */
@Module({ providers: [RedisThrottlerStorage], exports: [RedisThrottlerStorage] })
class ThrottlerStorageModule {}

/**
 * The api face of identity: its endpoints and the global guards, in the order they run:
 * authenticate (who), authorize (role), then rate limit (by who, or by IP).
 */
@Module({
  imports: [
    AuthModule,
    PassportModule,
    ThrottlerModule.forRootAsync({
      imports: [ThrottlerStorageModule],
      inject: [APP_CONFIG, Reflector, RedisThrottlerStorage],
      useFactory: (config: AppConfig, reflector: Reflector, storage: RedisThrottlerStorage) => ({
        throttlers: throttlers(config, reflector),
        storage,
      }),
    }),
  ],
  controllers: [AuthController, UsersController, ApiKeysController, PlatformController, AuditEventsController],
  providers: [
    JwtStrategy,
    ApiKeyStrategy,
    PlatformService,
    { provide: APP_GUARD, useClass: AuthenticationGuard },
    { provide: APP_GUARD, useClass: RolesGuard },
    { provide: APP_GUARD, useClass: RateLimitGuard },
  ],
})
export class AuthHttpModule {}

