import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { JobsOptions } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { RequestContext } from '../../context/request-context';
import { JobDefinition, jobKey } from '../job-definition';
import { OutboxDispatcher } from './outbox-dispatcher';
import { OutboxMessage } from './outbox-message.entity';

/** A transaction that can also stage jobs; they exist only if the transaction commits. */
export interface OutboxTransaction {
  manager: EntityManager;
  enqueue<Payload>(job: JobDefinition<Payload>, payload: Payload, options?: JobsOptions): Promise<string>;
  /**
   * Runs `effect` once the transaction has committed, before its jobs are handed over (so an
   * event it publishes reaches listeners before anything the jobs publish). Not run on rollback.
   */
  afterCommit(effect: () => Promise<void>): void;
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
    const effects: (() => Promise<void>)[] = [];
    const result = await this.dataSource.transaction(async (manager) =>
      work({
        manager,
        enqueue: async (job, payload, options) => {
          const id = await this.stage(manager, job, payload, options);
          staged.push(id);
          return id;
        },
        afterCommit: (effect) => effects.push(effect),
      }),
    );
    for (const effect of effects) {
      // The change is committed: a failing side effect must neither undo it nor hold back its jobs.
      await effect().catch((error: Error) => this.logger.warn(`after-commit effect failed: ${error.message}`));
    }
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

  /**
   * For each of `matches`, whether a job of one of `jobs` whose payload contains it (every
   * field equal) is still unsettled: waiting to be handed over, queued, or running. Lets a
   * domain ask "is work for this record still on its way?" without knowing how the outbox
   * stores jobs. Answers in the order of `matches`.
   */
  async unsettled<Payload>(jobs: readonly JobDefinition<Payload>[], matches: readonly Partial<NoInfer<Payload>>[]): Promise<boolean[]> {
    if (matches.length === 0) return [];
    const rows = (await this.dataSource.query(
      `SELECT m.i::int AS i
         FROM unnest($2::jsonb[]) WITH ORDINALITY AS m(payload, i)
        WHERE EXISTS (SELECT 1 FROM outbox_messages o
                       WHERE o.settled_at IS NULL AND o.queue || '/' || o.job_name = ANY($1) AND o.payload @> m.payload)`,
      [jobs.map((job) => jobKey(job.queue, job.name)), matches.map((match) => JSON.stringify(match))],
    )) as { i: number }[];
    const found = new Set(rows.map((row) => row.i - 1));
    return matches.map((_, i) => found.has(i));
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
