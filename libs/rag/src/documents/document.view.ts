import type { KnowledgeDocument } from './document.entity';

/** The shape of DESIGN.md: `{ id, title, status, progress, mimeType, sizeBytes, chunkCount, error, createdAt }`. */
export interface DocumentView {
  id: string;
  title: string;
  status: KnowledgeDocument['status'];
  progress: number;
  mimeType: string;
  sizeBytes: number;
  chunkCount: number;
  error: string | null;
  createdAt: string;
}

export function documentView(doc: KnowledgeDocument): DocumentView {
  return {
    id: doc.id,
    title: doc.title,
    status: doc.status,
    progress: doc.progress,
    mimeType: doc.mimeType,
    sizeBytes: doc.sizeBytes,
    chunkCount: doc.chunkCount,
    error: doc.error,
    createdAt: doc.createdAt.toISOString(),
  };
}
