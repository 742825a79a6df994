import { Inject, Injectable } from '@nestjs/common';
import { AppConfig, APP_CONFIG, MetricsRegistry, QueueRegistry } from '@showroom/core';
import { Counter, Gauge, Histogram } from 'prom-client';

type Outcome = 'completed' | 'failed';

const JOB_STATES = ['waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized', 'waiting-children'] as const;

@Injectable()
export class JobMetrics {
  private readonly finished: Counter<'queue' | 'name' | 'status'>;
  private readonly duration: Histogram<'queue' | 'name' | 'status'>;

  constructor(@Inject(MetricsRegistry) registry: MetricsRegistry, queues: QueueRegistry, @Inject(APP_CONFIG) config: AppConfig) {
    this.finished = new Counter({
      name: 'jobs_finished_total',
      help: 'Jobs run by this worker, by queue, job name and outcome (each attempt counts)',
      labelNames: ['queue', 'name', 'status'],
      registers: [registry],
    });
    this.duration = new Histogram({
      name: 'job_duration_seconds',
      help: 'Job handler run time by queue, job name and outcome',
      labelNames: ['queue', 'name', 'status'],
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900],
      registers: [registry],
    });
    new Gauge({
      name: 'queue_jobs',
      help: 'Jobs in each queue served by this worker, by state (read from Redis at scrape time)',
      labelNames: ['queue', 'state'],
      registers: [registry],
      async collect() {
        await Promise.all(
          config.worker.queues.map(async (name) => {
            const counts = await queues.get(name).getJobCounts(...JOB_STATES).catch(() => undefined);
            for (const state of JOB_STATES) if (counts) this.set({ queue: name, state }, counts[state] ?? 0);
          }),
        );
      },
    });
  }

  /** Starts timing one attempt; call the returned function with its outcome. */
  start(queue: string, name: string): (status: Outcome) => void {
    const stop = this.duration.startTimer({ queue, name });
    return (status) => {
      stop({ status });
      this.finished.inc({ queue, name, status });
    };
  }
}
