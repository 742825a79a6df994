import { Injectable } from '@nestjs/common';
import type { JobsOptions } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { RequestContext } from '../context/request-context';
import { JobDefinition } from './job-definition';
import { JobEnvelope } from './job-envelope';
import { QueueRegistry } from './queue-registry';

/**
 * Enqueues work that is not tied to a database change (for that, use Outbox, which cannot
 * lose the job). Carries the current request id into the job.
 */
@Injectable()
export class JobProducer {
  constructor(private readonly queues: QueueRegistry) {}

  async enqueue<Payload>(job: JobDefinition<Payload>, payload: Payload, options: JobsOptions = {}): Promise<string> {
    const jobId = options.jobId ?? randomUUID();
    const envelope: JobEnvelope<Payload> = { payload, requestId: RequestContext.requestId() };
    await this.queues.get(job.queue).add(job.name, envelope, { ...job.options, ...options, jobId });
    return jobId;
  }
}
