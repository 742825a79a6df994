import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { JobsOptions } from 'bullmq';

/**
 * A job waiting to be handed to BullMQ. Written in the same transaction as the change that
 * causes it, so the job exists exactly when the change does; the row id becomes the BullMQ
 * job id, which makes a second hand-over of the same row a no-op.
 * Indexes live in the migration (the schema is owned by migrations only).
 */
@Entity({ name: 'outbox_messages' })
export class OutboxMessage {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  queue: string;

  @Column('text', { name: 'job_name' })
  jobName: string;

  @Column('jsonb')
  payload: unknown;

  @Column('jsonb', { name: 'job_options', default: () => "'{}'::jsonb" })
  jobOptions: JobsOptions;

  @Column('text', { name: 'request_id', nullable: true })
  requestId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column('timestamptz', { name: 'available_at', default: () => 'now()' })
  availableAt: Date;

  @Column('timestamptz', { name: 'dispatched_at', nullable: true })
  dispatchedAt: Date | null;

  @Column('int', { name: 'dispatch_attempts', default: 0 })
  dispatchAttempts: number;

  @Column('text', { name: 'last_error', nullable: true })
  lastError: string | null;

  /** Set when BullMQ is done with the job (completed, or failed for good). */
  @Column('timestamptz', { name: 'settled_at', nullable: true })
  settledAt: Date | null;
}
