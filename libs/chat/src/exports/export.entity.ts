import type { FileFormat } from '@showroom/files';
import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export const EXPORT_KINDS = ['conversation', 'usage', 'knowledge-gaps', 'feedback'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];
export type ReportKind = Exclude<ExportKind, 'conversation'>;
export const REPORT_KINDS = EXPORT_KINDS.filter((k): k is ReportKind => k !== 'conversation');

/**
 * `queued` until a worker takes it, `processing` while it renders, then `ready` (downloadable
 * until `expiresAt`) or `failed` (see `error`); `expired` once the sweep has deleted the file.
 */
export const EXPORT_STATUSES = ['queued', 'processing', 'ready', 'failed', 'expired'] as const;
export type ExportStatus = (typeof EXPORT_STATUSES)[number];

/** A requested file (a conversation export or a report). The row is the truth about it. */
@Entity({ name: 'file_exports' })
export class FileExport {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'dealership_id' })
  dealershipId: string;

  @Column('uuid', { name: 'requested_by' })
  requestedBy: string;

  @Column('text')
  kind: ExportKind;

  @Column('text')
  format: FileFormat;

  @Column('uuid', { name: 'conversation_id', nullable: true })
  conversationId: string | null;

  @Column('date', { name: 'range_from', nullable: true })
  rangeFrom: string | null;

  @Column('date', { name: 'range_to', nullable: true })
  rangeTo: string | null;

  @Column('text')
  status: ExportStatus;

  @Column('int', { default: 0 })
  progress: number;

  @Column('text', { name: 'file_name', nullable: true })
  fileName: string | null;

  @Column('text', { name: 'content_type', nullable: true })
  contentType: string | null;

  /** bigint arrives as a string from pg; see exportView. */
  @Column('bigint', { name: 'size_bytes', nullable: true })
  sizeBytes: string | null;

  @Column('uuid', { name: 'blob_id', nullable: true })
  blobId: string | null;

  @Column('text', { nullable: true })
  error: string | null;

  @Column('timestamptz', { name: 'expires_at' })
  expiresAt: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Column('timestamptz', { name: 'completed_at', nullable: true })
  completedAt: Date | null;
}
