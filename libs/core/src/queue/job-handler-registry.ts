import { Injectable } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { JobDefinition, declaredJobs, jobKey } from './job-definition';
import { JOB_HANDLER_METADATA, JobHandlerFn, JobHandlerMetadata, JobHandlerOptions } from './job-handler.decorator';

export interface RegisteredHandler {
  definition: JobDefinition<unknown>;
  options: JobHandlerOptions<unknown>;
  handle: JobHandlerFn<unknown>;
  /** `Class.method`, for messages. */
  location: string;
}

/**
 * Finds every @HandlesJob method in the application and proves, before any job is taken,
 * that each declared job kind has exactly one handler (immich's boot check, kept here).
 */
@Injectable()
export class JobHandlerRegistry {
  private handlers?: Map<string, RegisteredHandler>;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  /** Throws a single error listing every missing, doubled or undeclared handler. */
  load(declared: JobDefinition<unknown>[] = declaredJobs()): Map<string, RegisteredHandler> {
    const found = this.discover();
    const problems: string[] = [];
    const byKey = new Map<string, RegisteredHandler>();
    for (const handler of found) {
      const key = jobKey(handler.definition.queue, handler.definition.name);
      const existing = byKey.get(key);
      if (existing) problems.push(`job ${key} has two handlers: ${existing.location} and ${handler.location}`);
      byKey.set(key, handler);
    }
    const declaredKeys = new Set(declared.map((d) => jobKey(d.queue, d.name)));
    for (const key of declaredKeys) if (!byKey.has(key)) problems.push(`job ${key} has no handler`);
    for (const [key, handler] of byKey) {
      if (!declaredKeys.has(key)) problems.push(`handler ${handler.location} is for undeclared job ${key}`);
    }
    if (problems.length > 0) throw new Error(`Job handlers do not match the declared jobs:\n  - ${problems.join('\n  - ')}`);
    this.handlers = byKey;
    return byKey;
  }

  get(queue: string, name: string): RegisteredHandler | undefined {
    if (!this.handlers) throw new Error('JobHandlerRegistry.load() must run before jobs are taken');
    return this.handlers.get(jobKey(queue, name));
  }

  private discover(): RegisteredHandler[] {
    return this.discovery.getProviders().flatMap((wrapper) => {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) return [];
      const prototype = Object.getPrototypeOf(instance) as object;
      return this.scanner.getAllMethodNames(prototype).flatMap((methodName) => {
        const method = instance[methodName] as JobHandlerFn<unknown>;
        const metadata = this.reflector.get<JobHandlerMetadata | undefined>(JOB_HANDLER_METADATA, method);
        if (!metadata) return [];
        return [
          {
            definition: metadata.definition,
            options: metadata.options,
            handle: method.bind(instance),
            location: `${prototype.constructor.name}.${methodName}`,
          },
        ];
      });
    });
  }
}
