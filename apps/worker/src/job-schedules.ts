import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig, JobEnvelope, QueueRegistry, RegisteredHandler } from '@showroom/core';

/**
 * Keeps one BullMQ job scheduler per repeatable handler on the queues this worker serves.
 * upsertJobScheduler is idempotent, so every worker pod may do this without duplicates.
 * Schedules are re-asserted every JOB_SCHEDULE_RESYNC_MS, so a Redis that lost its data gets them back.
 */
@Injectable()
export class JobSchedules implements OnApplicationShutdown {
  private readonly logger = new Logger(JobSchedules.name);
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly queues: QueueRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async start(handlers: RegisteredHandler[]): Promise<void> {
    const repeatable = handlers.filter((h) => h.options.repeat && this.config.worker.queues.includes(h.definition.queue));
    await this.sync(repeatable);
    this.timer = setInterval(() => {
      this.sync(repeatable).catch((error: Error) => this.logger.warn(`schedule sync failed: ${error.message}`));
    }, this.config.worker.scheduleResyncMs);
    this.timer.unref();
  }

  private async sync(handlers: RegisteredHandler[]): Promise<void> {
    for (const { definition, options } of handlers) {
      const repeat = options.repeat!;
      const data: JobEnvelope = { payload: repeat.payload };
      await this.queues
        .get(definition.queue)
        .upsertJobScheduler(definition.name, { every: repeat.everyMs(this.config) }, { name: definition.name, data, opts: definition.options });
    }
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }
}
