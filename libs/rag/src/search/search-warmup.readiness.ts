import { Injectable, OnModuleInit } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { ReadinessChecks } from '@showroom/core';
import { SearchWarmup } from './search-warmup';

/**
 * Past this much time after start the pod reports ready even if the warm-up has not finished:
 * a warm-up that runs long (a slow database, dealerships far over the memory budgets) must not
 * keep a pod out of service; its questions then wait for the load in flight, as at a cold start.
 */
const MAX_WAIT_MS = 30_000;

/**
 * An api pod is ready once its start-up warm-up has loaded the indexes of the dealerships
 * searched lately (or after MAX_WAIT_MS), so the load balancer sends it no question that
 * would pay for building them: a rolling update or a scale-out does not show users a slow
 * first answer (BENCHMARKS.md: a new pod's first query at 100k chunks 1.1-3.1 s cold, 27 ms warm).
 */
@Injectable()
export class SearchWarmupReadiness implements OnModuleInit {
  private readonly startedAt = Date.now();

  constructor(
    private readonly readiness: ReadinessChecks,
    private readonly health: HealthIndicatorService,
    private readonly warmup: SearchWarmup,
  ) {}

  onModuleInit(): void {
    this.readiness.add(() => {
      const check = this.health.check('search');
      if (this.warmup.isWarm() || Date.now() - this.startedAt >= MAX_WAIT_MS) return check.up();
      return check.down({ message: 'loading the search indexes of recently searched dealerships' });
    });
  }
}
