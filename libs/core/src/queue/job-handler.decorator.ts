import { SetMetadata } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { JobDefinition } from './job-definition';

export const JOB_HANDLER_METADATA = Symbol('showroom:job-handler');

/** What a handler may use besides its payload. */
export interface JobContext {
  jobId: string;
  /** 1 on the first try, 2 on the first retry, … */
  attempt: number;
  maxAttempts: number;
  requestId: string;
  updateProgress(percent: number): Promise<void>;
}

export type JobHandlerFn<Payload> = (payload: Payload, context: JobContext) => Promise<unknown>;

export interface JobHandlerOptions<Payload> {
  /**
   * Makes the job repeatable: the worker keeps a BullMQ job scheduler for it, re-created
   * at boot and periodically, so even a flushed Redis gets its schedule back.
   */
  repeat?: { everyMs: (config: AppConfig) => number; payload: Payload };
}

export interface JobHandlerMetadata {
  definition: JobDefinition<unknown>;
  options: JobHandlerOptions<unknown>;
}

/**
 * Marks a provider method as the handler of one job kind. The method's signature is checked
 * against the definition's payload type. A handler must throw on failure (never swallow),
 * so BullMQ retries it; it must also be safe to run twice.
 */
export function HandlesJob<Payload>(definition: JobDefinition<Payload>, options: JobHandlerOptions<Payload> = {}) {
  return <Fn extends JobHandlerFn<Payload>>(target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<Fn>): void => {
    const metadata: JobHandlerMetadata = { definition, options: options as JobHandlerOptions<unknown> };
    SetMetadata(JOB_HANDLER_METADATA, metadata)(target, key, descriptor);
  };
}
