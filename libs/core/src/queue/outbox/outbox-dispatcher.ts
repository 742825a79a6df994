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
  dispatch_attempts: number;
}

export interface DispatchResult {
  dispatched: number;
  failed: number;
}

/** Longest wait between two hand-over attempts of a row whose queue keeps refusing it. */
const MAX_RETRY_DELAY_SECONDS = 300;

/**
 * Moves pending outbox rows to BullMQ. Rows are claimed with FOR UPDATE SKIP LOCKED, so any
 * number of api pods and relay jobs can run it at once without handing a row over twice; if
 * one is handed over twice anyway (commit lost after the add), the row id is the BullMQ
 * job id and the second add is ignored.
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
      const refused: { id: string; error: string }[] = [];
      for (const [queue, group] of groupByQueue(rows)) {
        try {
          await this.queues.get(queue).addBulk(group.map(toBullJob));
          delivered.push(...group.map((row) => row.id));
        } catch (error) {
          refused.push(...group.map((row) => ({ id: row.id, error: (error as Error).message })));
        }
      }
      await this.markDelivered(manager, delivered);
      await this.markRefused(manager, refused);
      if (refused.length > 0) this.logger.warn(`outbox: ${refused.length} job(s) not handed over: ${refused[0].error}`);
      return { dispatched: delivered.length, failed: refused.length };
    });
  }

  /** Deletes delivered rows older than the retention window. */
  async prune(): Promise<number> {
    const result = await this.dataSource.query(
      `DELETE FROM outbox_messages WHERE dispatched_at < now() - make_interval(hours => $1)`,
      [this.config.outbox.retentionHours],
    );
    return Number(result[1] ?? 0);
  }

  private claim(manager: EntityManager, ids?: string[]): Promise<PendingRow[]> {
    const byId = ids !== undefined;
    return manager.query(
      `SELECT id, queue, job_name, payload, job_options, request_id, dispatch_attempts
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

  private async markRefused(manager: EntityManager, refused: { id: string; error: string }[]): Promise<void> {
    if (refused.length === 0) return;
    await manager.query(
      `UPDATE outbox_messages
          SET dispatch_attempts = dispatch_attempts + 1,
              last_error = $2,
              available_at = now() + make_interval(secs => least(power(2, dispatch_attempts), $3))
        WHERE id = ANY($1::uuid[])`,
      [refused.map((r) => r.id), refused[0].error.slice(0, 500), MAX_RETRY_DELAY_SECONDS],
    );
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
    data: { payload: row.payload, requestId: row.request_id ?? undefined },
    opts: { ...row.job_options, jobId: row.id },
  };
}
