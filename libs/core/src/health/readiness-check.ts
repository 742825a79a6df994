import { Injectable } from '@nestjs/common';
import type { HealthIndicatorFunction } from '@nestjs/terminus';

/**
 * Checks that apps add to readiness beyond Postgres and Redis (the worker adds its queues).
 * A registry rather than a DI token, so any module can contribute without HealthModule
 * importing it.
 */
@Injectable()
export class ReadinessChecks {
  private readonly checks: HealthIndicatorFunction[] = [];

  add(check: HealthIndicatorFunction): void {
    this.checks.push(check);
  }

  list(): HealthIndicatorFunction[] {
    return [...this.checks];
  }
}
