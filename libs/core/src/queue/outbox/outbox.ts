import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { JobsOptions } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { RequestContext } from '../../context/request-context';
import { JobDefinition } from '../job-definition';
import { OutboxDispatcher } from './outbox-dispatcher';
import { OutboxMessage } from './outbox-message.entity';

/** A transaction that can also stage jobs; they exist only if the transaction commits. */
export interface OutboxTransaction {
  manager: EntityManager;
  enqueue<Payload>(job: JobDefinition<Payload>, payload: Payload, options?: JobsOptions): Promise<string>;
}

/**
 * Transactional outbox: the way to enqueue work that belongs to a database change.
 *
 * Jobs are written as rows in the caller's transaction, then handed to BullMQ right after
 * commit. If that hand-over fails (Redis down, pod killed between commit and hand-over),
 * the row stays pending and the repeatable `outbox.relay` maintenance job delivers it.
 */
@Injectable()
export class Outbox {
  private readonly logger = new Logger(Outbox.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly dispatcher: OutboxDispatcher,
  ) {}

  async transaction<T>(work: (tx: OutboxTransaction) => Promise<T>): Promise<T> {
    const staged: string[] = [];
    const result = await this.dataSource.transaction(async (manager) =>
      work({
        manager,
        enqueue: async (job, payload, options) => {
          const id = await this.stage(manager, job, payload, options);
          staged.push(id);
          return id;
        },
      }),
    );
    if (staged.length > 0) await this.handOver(staged);
    return result;
  }

  /** Writes a job row inside an existing transaction; delivery is left to the relay. */
  async stage<Payload>(
    manager: EntityManager,
    job: JobDefinition<Payload>,
    payload: Payload,
    options: JobsOptions = {},
  ): Promise<string> {
    const id = randomUUID();
    await manager.insert(OutboxMessage, {
      id,
      queue: job.queue,
      jobName: job.name,
      payload: payload as object,
      jobOptions: { ...job.options, ...options },
      requestId: RequestContext.requestId() ?? null,
    });
    return id;
  }

  private async handOver(ids: string[]): Promise<void> {
    try {
      await this.dispatcher.dispatch({ ids });
    } catch (error) {
      // The change is committed and the rows are safe; the relay will deliver them.
      this.logger.warn(`outbox hand-over deferred to the relay: ${(error as Error).message}`);
    }
  }
}
