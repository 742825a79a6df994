import { Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { ShutdownState } from '../lifecycle/shutdown-state';
import { HealthController } from './health.controller';
import { ReadinessChecks } from './readiness-check';
import { RedisHealthIndicator } from './redis.health';

@Global()
@Module({
  imports: [TerminusModule],
  controllers: [HealthController],
  providers: [RedisHealthIndicator, ShutdownState, ReadinessChecks],
  exports: [ShutdownState, ReadinessChecks, TerminusModule],
})
export class HealthModule {}
