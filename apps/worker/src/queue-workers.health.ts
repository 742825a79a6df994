import { Injectable, OnModuleInit } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { ReadinessChecks } from '@showroom/core';
import { QueueWorkers } from './queue-workers';

/** The worker is ready only while every queue it serves has a running BullMQ worker. */
@Injectable()
export class QueueWorkersReadiness implements OnModuleInit {
  constructor(
    private readonly readiness: ReadinessChecks,
    private readonly health: HealthIndicatorService,
    private readonly workers: QueueWorkers,
  ) {}

  onModuleInit(): void {
    this.readiness.add(() => {
      const stopped = this.workers.stoppedQueues();
      const check = this.health.check('queues');
      return stopped.length === 0 ? check.up() : check.down({ message: `not consuming: ${stopped.join(', ')}` });
    });
  }
}
