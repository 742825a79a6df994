import { Injectable, Logger } from '@nestjs/common';
import { HandlesJob } from '../job-handler.decorator';
import { DispatchResult, OutboxDispatcher } from './outbox-dispatcher';
import { PruneOutboxJob, RelayOutboxJob } from './outbox.jobs';

const PRUNE_EVERY_MS = 60 * 60 * 1000;

@Injectable()
export class OutboxMaintenanceHandlers {
  private readonly logger = new Logger(OutboxMaintenanceHandlers.name);

  constructor(private readonly dispatcher: OutboxDispatcher) {}

  @HandlesJob(RelayOutboxJob, { repeat: { everyMs: (config) => config.outbox.dispatchIntervalMs, payload: {} } })
  async relay(): Promise<DispatchResult & { recovered: number }> {
    const recovered = await this.dispatcher.recoverLost();
    const result = await this.dispatcher.dispatch();
    if (recovered + result.dispatched + result.failed > 0) this.logger.log(`outbox relay: ${JSON.stringify({ recovered, ...result })}`);
    // Refused rows are retried later with backoff; failing this run would only add noise.
    return { recovered, ...result };
  }

  @HandlesJob(PruneOutboxJob, { repeat: { everyMs: () => PRUNE_EVERY_MS, payload: {} } })
  async prune(): Promise<{ deleted: number }> {
    return { deleted: await this.dispatcher.prune() };
  }
}
