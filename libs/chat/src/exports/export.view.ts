import type { FileFormat } from '@showroom/files';
import type { ExportKind, ExportStatus, FileExport } from './export.entity';

/** `{ id, kind, format, status, progress, sizeBytes, expiresAt, error, createdAt }` plus what it is of. */
export interface ExportView {
  id: string;
  kind: ExportKind;
  format: FileFormat;
  status: ExportStatus;
  progress: number;
  sizeBytes: number | null;
  expiresAt: string;
  error: string | null;
  createdAt: string;
  /** The conversation exported (conversation exports) or null. */
  conversationId: string | null;
  /** The report's UTC day range (reports) or null. */
  from: string | null;
  to: string | null;
  /** The user who asked for it. */
  requestedBy: string;
}

export function exportView(row: FileExport): ExportView {
  return {
    id: row.id,
    kind: row.kind,
    format: row.format,
    status: row.status,
    progress: row.progress,
    sizeBytes: row.sizeBytes === null ? null : Number(row.sizeBytes),
    expiresAt: row.expiresAt.toISOString(),
    error: row.error,
    createdAt: row.createdAt.toISOString(),
    conversationId: row.conversationId,
    from: row.rangeFrom,
    to: row.rangeTo,
    requestedBy: row.requestedBy,
  };
}

/** What SSE and the realtime gateway push: the changing part of the view. */
export interface ExportProgressEvent {
  exportId: string;
  /** Whose export it is: the realtime gateway delivers it to them and to the dealership's admins. */
  requestedBy: string;
  status: ExportStatus;
  progress: number;
  sizeBytes: number | null;
  error: string | null;
}

export function progressEvent(view: ExportView): ExportProgressEvent {
  return { exportId: view.id, requestedBy: view.requestedBy, status: view.status, progress: view.progress, sizeBytes: view.sizeBytes, error: view.error };
}
