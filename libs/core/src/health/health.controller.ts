import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { InfrastructureRoute } from '../http/infrastructure-route.decorator';
import { ShutdownState } from '../lifecycle/shutdown-state';
import { ReadinessChecks } from './readiness-check';
import { RedisHealthIndicator } from './redis.health';

const CHECK_TIMEOUT_MS = 1_500;

/**
 * Liveness is only "the process answers": a broken dependency must not get pods restarted
 * in a loop. Readiness checks what serving needs and turns false as soon as SIGTERM arrives.
 */
@ApiExcludeController()
@InfrastructureRoute()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly redis: RedisHealthIndicator,
    private readonly shutdown: ShutdownState,
    private readonly extraChecks: ReadinessChecks,
  ) {}

  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  ready() {
    if (this.shutdown.isDraining) {
      throw new ServiceUnavailableException({
        status: 'error',
        error: this.indicators.check('shutdown').down({ message: 'draining for shutdown' }),
      });
    }
    return this.health.check([
      () => this.db.pingCheck('postgres', { timeout: CHECK_TIMEOUT_MS }),
      () => this.redis.ping(CHECK_TIMEOUT_MS),
      ...this.extraChecks.list(),
    ]);
  }
}
