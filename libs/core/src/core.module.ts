import { NotFoundFallback } from './http/not-found-fallback';
import { RouteDispatch } from './http/route-dispatch';
import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { AllExceptionsFilter } from './errors/all-exceptions.filter';
import { HealthModule } from './health/health.module';
import { LoggingModule } from './logging/logging.module';
import { MetricsModule } from './metrics/metrics.module';
import { QueueModule } from './queue/queue.module';
import { RateLimitModule } from './rate-limit/rate-limit.module';
import { IdempotencyModule } from './idempotency/idempotency.module';
import { ErrorsModule } from './errors/errors.module';
import { RedisModule } from './redis/redis.module';

/** The platform both apps stand on: config, logs, Postgres, Redis, queues, metrics, health, errors. */
@Module({})
export class CoreModule {
  static forRoot(config: AppConfig, app: 'api' | 'worker'): DynamicModule {
    return {
      module: CoreModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule,
        DatabaseModule,
        RedisModule,
        RateLimitModule,
        IdempotencyModule,
        ErrorsModule,
        QueueModule,
        MetricsModule.forRoot(app),
        HealthModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: AllExceptionsFilter }, NotFoundFallback, RouteDispatch],
    };
  }
}
