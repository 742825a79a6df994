import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export const DOCUMENT_STATUSES = ['queued', 'processing', 'ready', 'failed'] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

/**
 * An uploaded knowledge document. The row is the truth about its ingestion: a document stays
 * `queued` until a worker has processed it, whatever happened to its job in Redis.
 */
@Entity({ name: 'documents' })
export class KnowledgeDocument {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'dealership_id' })
  dealershipId: string;

  @Column('text')
  title: string;

  /** The name the uploader's file had; shown to people, never used as a path. */
  @Column('text', { name: 'file_name' })
  fileName: string;

  /** Sniffed from the bytes: pdf, docx, xlsx, csv, html, markdown or text. */
  @Column('text', { name: 'doc_type' })
  docType: string;

  @Column('text', { name: 'mime_type' })
  mimeType: string;

  @Column('int', { name: 'size_bytes' })
  sizeBytes: number;

  @Column('text', { name: 'content_sha256' })
  contentSha256: string;

  @Column('uuid', { name: 'blob_id' })
  blobId: string;

  @Column('text')
  status: DocumentStatus;

  @Column('int', { default: 0 })
  progress: number;

  @Column('int', { name: 'chunk_count', default: 0 })
  chunkCount: number;

  @Column('text', { nullable: true })
  error: string | null;

  /** Bumped by reindex; chunks of older generations stay searchable until the new one is ready. */
  @Column('int', { default: 0 })
  generation: number;

  /** The generation search reads; null until the first one is ready. */
  @Column('int', { name: 'searchable_generation', nullable: true })
  searchableGeneration: number | null;

  /** Times the reconciler restarted this generation's ingestion; past a few, the document fails. */
  @Column('int', { name: 'ingest_attempts', default: 0 })
  ingestAttempts: number;

  @Column('uuid', { name: 'created_by' })
  createdBy: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
