import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import {
  APP_CONFIG,
  AppConfig,
  JobContext,
  JobEnvelope,
  JobHandlerRegistry,
  OutboxDispatcher,
  QueueName,
  RedisConnections,
  RequestContext,
} from '@showroom/core';
import { Job, UnrecoverableError, Worker } from 'bullmq';
import { setTimeout as sleep } from 'node:timers/promises';
import { JobMetrics } from './job-metrics';
import { JobSchedules } from './job-schedules';

/** Share of the shutdown grace period given to active jobs before they are handed back. */
const DRAIN_SHARE_OF_GRACE = 0.8;

/**
 * One BullMQ Worker per queue this pod serves (WORKER_QUEUES), dispatching each job to the
 * @HandlesJob method registered for its name. Boot fails if any declared job lacks a handler.
 */
@Injectable()
export class QueueWorkers implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(QueueWorkers.name);
  private readonly workers = new Map<QueueName, Worker<JobEnvelope>>();

  constructor(
    private readonly handlers: JobHandlerRegistry,
    private readonly schedules: JobSchedules,
    private readonly redis: RedisConnections,
    private readonly metrics: JobMetrics,
    private readonly outbox: OutboxDispatcher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const handlers = this.handlers.load();
    for (const queue of this.config.worker.queues) {
      const worker = new Worker<JobEnvelope>(queue, (job) => this.process(job), {
        connection: this.redis.blocking(`worker-${queue}`),
        prefix: this.redis.bullPrefix,
        concurrency: this.config.worker.concurrency,
        // A killed worker's jobs are taken over once their lock lapses; the stalled check runs
        // at the same cadence so recovery takes at most about twice this.
        lockDuration: this.config.worker.lockDurationMs,
        stalledInterval: this.config.worker.lockDurationMs,
      });
      worker.on('failed', (job, error) => this.onFailed(job, error));
      worker.on('error', (error) => this.logger.warn(`worker ${queue}: ${error.message}`));
      this.workers.set(queue, worker);
    }
    await this.schedules.start([...handlers.values()]);
    this.logger.log(`serving queues ${this.config.worker.queues.join(', ')} with concurrency ${this.config.worker.concurrency}`);
  }

  /** For readiness: the queues whose worker is not running. */
  stoppedQueues(): QueueName[] {
    return [...this.workers].filter(([, worker]) => !worker.isRunning()).map(([queue]) => queue);
  }

  /**
   * Stops taking jobs and lets active ones finish. Whatever is still running when the drain
   * window closes is abandoned: its lock lapses and BullMQ hands it to another worker.
   */
  async beforeApplicationShutdown(): Promise<void> {
    const drainMs = this.config.shutdown.graceMs * DRAIN_SHARE_OF_GRACE;
    const workers = [...this.workers.values()];
    const drained = Promise.all(workers.map((worker) => worker.close())).then(() => true);
    const windowClosed = new AbortController();
    const timeUp = sleep(drainMs, false, { signal: windowClosed.signal }).catch(() => false);
    const finished = await Promise.race([drained, timeUp]);
    windowClosed.abort();
    if (!finished) {
      this.logger.warn(`active jobs still running after ${drainMs} ms; handing them back`);
      await Promise.all(workers.map((worker) => worker.close(true)));
    }
  }

  private async process(job: Job<JobEnvelope>): Promise<unknown> {
    const handler = this.handlers.get(job.queueName, job.name);
    if (!handler) throw new UnrecoverableError(`no handler for job ${job.queueName}/${job.name}`);
    const requestId = job.data.requestId ?? `job:${job.id}`;
    const context: JobContext = {
      jobId: job.id ?? '',
      attempt: job.attemptsMade + 1,
      maxAttempts: job.opts.attempts ?? 1,
      requestId,
      updateProgress: (percent) => job.updateProgress(percent),
    };
    const done = this.metrics.start(job.queueName, job.name);
    return RequestContext.run(
      requestId,
      async () => {
        try {
          const result = await handler.handle(job.data.payload, context);
          done('completed');
          await this.settle(job);
          return result;
        } catch (error) {
          done('failed');
          throw error;
        }
      },
      jobLogFields(job),
    );
  }

  private onFailed(job: Job<JobEnvelope> | undefined, error: Error): void {
    if (!job) return;
    const final = job.attemptsMade >= (job.opts.attempts ?? 1) || error instanceof UnrecoverableError;
    RequestContext.run(
      job.data.requestId ?? `job:${job.id}`,
      () => this.logger.warn({ err: error, attempt: job.attemptsMade, final }, `job ${job.queueName}/${job.name} failed`),
      jobLogFields(job),
    );
    if (final) void this.settle(job);
  }

  /**
   * Tells the outbox the job is done. A failure here must not fail the job: the worst case
   * is that the relay later finds the job gone from Redis and runs it once more, which every
   * handler is built to survive.
   */
  private async settle(job: Job<JobEnvelope>): Promise<void> {
    if (!job.data.outboxId) return;
    try {
      await this.outbox.settle(job.data.outboxId);
    } catch (error) {
      this.logger.warn(`could not settle outbox row ${job.data.outboxId}: ${(error as Error).message}`);
    }
  }
}

/** What every line logged while running a job carries, besides its request id. */
function jobLogFields(job: Job<JobEnvelope>): Record<string, unknown> {
  return { queue: job.queueName, job: job.name, jobId: job.id };
}
