import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { JobsOptions } from 'bullmq';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { JobEnvelope } from '../job-envelope';
import { QueueName } from '../queue-names';
import { QueueRegistry } from '../queue-registry';

interface PendingRow {
  id: string;
  queue: QueueName;
  job_name: string;
  payload: unknown;
  job_options: JobsOptions;
  request_id: string | null;
}

export interface DispatchResult {
  dispatched: number;
  failed: number;
}

/**
 * How long one hand-over may wait for Redis. BullMQ waits for a connection indefinitely; a
 * request (or the relay holding row locks) must not.
 */
const HAND_OVER_TIMEOUT_MS = 3_000;

/** Longest wait between two hand-over attempts of a row whose queue keeps refusing it. */
const MAX_RETRY_DELAY_SECONDS = 300;

/**
 * Moves outbox rows to BullMQ and watches them until BullMQ is done with them.
 *
 * Rows are claimed with FOR UPDATE SKIP LOCKED, so any number of api pods and relay jobs can
 * dispatch at once without handing a row over twice; if one is handed over twice anyway
 * (commit lost after the add), the row id is the BullMQ job id and the second add is ignored.
 * A delivered row stays "in flight" until the worker settles it; if its job disappears from
 * Redis meanwhile (flush, failover without persistence), the row is made pending again.
 */
@Injectable()
export class OutboxDispatcher {
  private readonly logger = new Logger(OutboxDispatcher.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly queues: QueueRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Hands over the given rows, or (without ids) the oldest pending ones up to the batch size. */
  async dispatch(scope: { ids?: string[] } = {}): Promise<DispatchResult> {
    return this.dataSource.transaction(async (manager) => {
      const rows = await this.claim(manager, scope.ids);
      if (rows.length === 0) return { dispatched: 0, failed: 0 };
      const delivered: string[] = [];
      const refused: string[] = [];
      let lastError = '';
      for (const [queue, group] of groupByQueue(rows)) {
        try {
          await withTimeout(this.queues.get(queue).addBulk(group.map(toBullJob)), HAND_OVER_TIMEOUT_MS, `queue ${queue}`);
          delivered.push(...group.map((row) => row.id));
        } catch (error) {
          refused.push(...group.map((row) => row.id));
          lastError = (error as Error).message;
        }
      }
      await this.markDelivered(manager, delivered);
      await this.markRefused(manager, refused, lastError);
      if (refused.length > 0) this.logger.warn(`outbox: ${refused.length} job(s) not handed over: ${lastError}`);
      return { dispatched: delivered.length, failed: refused.length };
    });
  }

  /**
   * Finds delivered rows that are still unsettled after `lostAfterMs` and whose job Redis no
   * longer knows, and makes them pending again. Returns how many were recovered.
   */
  async recoverLost(): Promise<number> {
    const inFlight: { id: string; queue: QueueName }[] = await this.dataSource.query(
      `SELECT id, queue FROM outbox_messages
        WHERE dispatched_at IS NOT NULL AND settled_at IS NULL
          AND dispatched_at < now() - make_interval(secs => $1)
        ORDER BY dispatched_at
        LIMIT $2`,
      [this.config.outbox.lostAfterMs / 1000, this.config.outbox.dispatchBatch],
    );
    const states = await Promise.all(inFlight.map((row) => this.queues.get(row.queue).getJobState(row.id)));
    const lost = inFlight.filter((_, i) => states[i] === 'unknown').map((row) => row.id);
    if (lost.length === 0) return 0;
    await this.dataSource.query(
      `UPDATE outbox_messages SET dispatched_at = NULL, available_at = now(), last_error = 'job vanished from the queue'
        WHERE id = ANY($1::uuid[]) AND settled_at IS NULL`,
      [lost],
    );
    this.logger.warn(`outbox: ${lost.length} delivered job(s) had vanished from Redis; re-dispatching`);
    return lost.length;
  }

  /** Records that BullMQ is done with the job of this row (completed, or failed for good). */
  async settle(id: string): Promise<void> {
    await this.dataSource.query(`UPDATE outbox_messages SET settled_at = now() WHERE id = $1 AND settled_at IS NULL`, [id]);
  }

  /** Deletes settled rows older than the retention window. */
  async prune(): Promise<number> {
    const [, deleted] = await this.dataSource.query(
      `DELETE FROM outbox_messages WHERE settled_at < now() - make_interval(hours => $1)`,
      [this.config.outbox.retentionHours],
    );
    return Number(deleted ?? 0);
  }

  private claim(manager: EntityManager, ids?: string[]): Promise<PendingRow[]> {
    const byId = ids !== undefined;
    return manager.query(
      `SELECT id, queue, job_name, payload, job_options, request_id
         FROM outbox_messages
        WHERE dispatched_at IS NULL
          AND ${byId ? 'id = ANY($2::uuid[])' : 'available_at <= now()'}
        ORDER BY available_at
        LIMIT $1
        FOR UPDATE SKIP LOCKED`,
      byId ? [ids.length, ids] : [this.config.outbox.dispatchBatch],
    );
  }

  private async markDelivered(manager: EntityManager, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await manager.query(`UPDATE outbox_messages SET dispatched_at = now(), last_error = NULL WHERE id = ANY($1::uuid[])`, [ids]);
  }

  private async markRefused(manager: EntityManager, ids: string[], error: string): Promise<void> {
    if (ids.length === 0) return;
    await manager.query(
      `UPDATE outbox_messages
          SET dispatch_attempts = dispatch_attempts + 1,
              last_error = $2,
              available_at = now() + make_interval(secs => least(power(2, dispatch_attempts), $3))
        WHERE id = ANY($1::uuid[])`,
      [ids, error.slice(0, 500), MAX_RETRY_DELAY_SECONDS],
    );
  }
}

async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function groupByQueue(rows: PendingRow[]): Map<QueueName, PendingRow[]> {
  const groups = new Map<QueueName, PendingRow[]>();
  for (const row of rows) groups.set(row.queue, [...(groups.get(row.queue) ?? []), row]);
  return groups;
}

function toBullJob(row: PendingRow): { name: string; data: JobEnvelope; opts: JobsOptions } {
  return {
    name: row.job_name,
    data: { payload: row.payload, requestId: row.request_id ?? undefined, outboxId: row.id },
    opts: { ...row.job_options, jobId: row.id },
  };
}
