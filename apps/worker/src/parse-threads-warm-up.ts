import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@showroom/core';
import { ParseSandbox } from '@showroom/rag';

/**
 * A worker serving the ingestion queue starts its parse threads at boot, so the first
 * document does not wait about a second for a thread to load the parsers. The api shares
 * the provider but never parses, so only the worker does this.
 */
@Injectable()
export class ParseThreadsWarmUp implements OnApplicationBootstrap {
  private readonly logger = new Logger(ParseThreadsWarmUp.name);

  constructor(
    private readonly sandbox: ParseSandbox,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.worker.queues.includes('ingestion')) return;
    // Not awaited: readiness does not wait for warm threads; a document arriving first just starts one.
    this.sandbox.warmUp().catch((error: Error) => this.logger.warn(`parse threads not warmed up: ${error.message}`));
  }
}
