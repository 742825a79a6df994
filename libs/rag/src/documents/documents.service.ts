import { HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import { InjectTenantRepositories, Principal, Tenant, TenantRepositories } from '@showroom/auth';
import { AppException, Outbox, Page, afterCursor, toPage } from '@showroom/core';
import { BLOB_STORAGE, type BlobStorage } from '@showroom/files';
import { createHash } from 'node:crypto';
import { sniffDocumentType } from '../parsing';
import { documentNotFound } from './document-errors';
import { DocumentLifecycle } from './document-lifecycle';
import { KnowledgeDocument } from './document.entity';
import { DocumentView, documentView } from './document.view';
import { tombstoneChunks } from '../vector-store/vector-tombstones';
import { VECTOR_STORE, type VectorStore } from '../vector-store/vector-store.port';
import { displayFileName } from './upload-file-name';

export interface UploadedFile {
  buffer: Buffer;
  originalname: string;
  size: number;
}

const MIME_BY_TYPE: Record<string, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv',
  html: 'text/html',
  markdown: 'text/markdown',
  text: 'text/plain',
};

/**
 * Accepting uploads and reporting on them. Nothing slow happens here: the bytes are stored,
 * the row and its ingestion job are written in one transaction (DocumentLifecycle, which owns
 * every change of status), and the worker does the rest.
 */
@Injectable()
export class DocumentsService {
  private readonly logger = new Logger(DocumentsService.name);

  constructor(
    @InjectTenantRepositories(KnowledgeDocument) private readonly documents: TenantRepositories<KnowledgeDocument>,
    @Inject(BLOB_STORAGE) private readonly blobs: BlobStorage,
    @Inject(VECTOR_STORE) private readonly vectorStore: VectorStore,
    private readonly outbox: Outbox,
    private readonly lifecycle: DocumentLifecycle,
  ) {}

  /** Returns the document and whether it is new (false: the same bytes were already uploaded). */
  async upload(actor: Principal, tenant: Tenant, file: UploadedFile | undefined, title?: string): Promise<{ document: DocumentView; created: boolean }> {
    if (!file) throw new AppException(HttpStatus.BAD_REQUEST, 'FILE_REQUIRED', 'Send the document as multipart field "file".', [{ field: 'file', message: 'is required' }]);
    if (file.size === 0) throw new AppException(HttpStatus.BAD_REQUEST, 'EMPTY_FILE', 'The uploaded file is empty.', [{ field: 'file', message: 'is empty' }]);
    const type = await sniffDocumentType(file.buffer, file.originalname);
    if (!type) {
      throw new AppException(
        HttpStatus.UNSUPPORTED_MEDIA_TYPE,
        'UNSUPPORTED_DOCUMENT_TYPE',
        'Upload a PDF, Word (DOCX), Excel (XLSX), CSV, HTML, Markdown or plain-text file.',
        [{ field: 'file', message: 'content is not a supported document type' }],
      );
    }
    const sha = createHash('sha256').update(file.buffer).digest('hex');
    const existing = await this.documents.for(tenant).findOneBy({ contentSha256: sha });
    if (existing) return { document: documentView(existing), created: false };

    const fileName = displayFileName(file.originalname);
    const blobId = await this.blobs.put(tenant, file.buffer, MIME_BY_TYPE[type]);
    try {
      // The answer is built from what was written, not re-read: the worker may already be at it.
      const row = await this.lifecycle.queueNew(tenant, {
        title: title?.trim() || fileName,
        fileName,
        docType: type,
        mimeType: MIME_BY_TYPE[type],
        sizeBytes: file.size,
        contentSha256: sha,
        blobId,
        createdBy: actor.kind === 'user' ? actor.userId : actor.apiKeyId,
      });
      return { document: documentView(row), created: true };
    } catch (error) {
      // Nothing refers to the blob if the row was not written; do not leave it behind.
      await this.blobs.delete(tenant, blobId).catch((e: Error) => this.logger.warn(`orphan blob ${blobId}: ${e.message}`));
      const raced = await this.documents.for(tenant).findOneBy({ contentSha256: sha });
      if (raced) return { document: documentView(raced), created: false };
      throw error;
    }
  }

  async list(tenant: Tenant, cursor: string | undefined, limit = 50): Promise<Page<DocumentView>> {
    const rows = await this.documents.for(tenant).find({ where: afterCursor(cursor) ?? {}, order: { createdAt: 'DESC', id: 'DESC' }, take: limit + 1 });
    return toPage(rows, limit, documentView);
  }

  async get(tenant: Tenant, id: string): Promise<DocumentView> {
    const doc = await this.documents.for(tenant).findOneBy({ id });
    if (!doc) throw documentNotFound();
    return documentView(doc);
  }

  /**
   * Rebuilds the document's chunks as a new generation. The current chunks stay searchable
   * until the new ones replace them in one transaction. A document still being ingested
   * cannot be reindexed (409): wait until it is ready or failed.
   */
  async reindex(tenant: Tenant, id: string): Promise<DocumentView> {
    return documentView(await this.lifecycle.queueReindex(tenant, id));
  }

  /**
   * Removes the document and its chunks (cascade), then its blob. Vectors in an external
   * store are tombstoned in the same transaction and purged by a job, so they cannot outlive
   * the document even if the store is down right now.
   */
  async delete(tenant: Tenant, id: string): Promise<void> {
    const doc = await this.outbox.transaction(async (tx) => {
      const documents = this.documents.for(tenant, tx.manager);
      const found = await documents.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!found) throw documentNotFound();
      await tombstoneChunks(tx, this.vectorStore, tenant.dealershipId, { documentId: id });
      await documents.delete({ id });
      return found;
    });
    await this.blobs.delete(tenant, doc.blobId);
  }
}
