import type { JobsOptions } from 'bullmq';
import { QueueName } from './queue-names';

/**
 * A kind of job: which queue carries it, its name, default options, and (as a type only) its
 * payload. Producers and handlers both take the definition object, so the payload a
 * producer sends is checked against the one its handler expects at compile time.
 */
export interface JobDefinition<Payload> {
  readonly queue: QueueName;
  readonly name: string;
  readonly options: JobsOptions;
  /** Phantom field carrying the payload type; never set at run time. */
  readonly payloadType?: Payload;
}

const definitions = new Map<string, JobDefinition<unknown>>();

export function jobKey(queue: string, name: string): string {
  return `${queue}/${name}`;
}

/**
 * Declares a job kind. Every definition is recorded, so the worker can prove at boot that
 * each one has exactly one handler; declaring the same queue/name twice is a programming
 * error and throws when the module is loaded.
 */
export function defineJob<Payload>(spec: { queue: QueueName; name: string; options?: JobsOptions }): JobDefinition<Payload> {
  const key = jobKey(spec.queue, spec.name);
  if (definitions.has(key)) throw new Error(`Job ${key} is declared twice`);
  const definition: JobDefinition<Payload> = Object.freeze({ queue: spec.queue, name: spec.name, options: spec.options ?? {} });
  definitions.set(key, definition);
  return definition;
}

/** Every job kind declared by the code loaded in this process. */
export function declaredJobs(): JobDefinition<unknown>[] {
  return [...definitions.values()];
}
