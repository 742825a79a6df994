import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectTenantRepositories, Tenant, TenantRepositories } from '@showroom/auth';
import { HandlesJob, JobContext, OutboxTransaction } from '@showroom/core';
import { BLOB_STORAGE, type BlobStorage } from '@showroom/files';
import type { DocumentChunk } from '../chunking';
import { DocumentChunkRow } from '../documents/document-chunk.entity';
import { KnowledgeDocument } from '../documents/document.entity';
import { DocumentParseError, type DocumentType } from '../parsing';
import { ParseSandbox } from '../parsing-sandbox/parse-sandbox';
import { DocumentLifecycle } from '../documents/document-lifecycle';
import { chunkId } from './chunk-id';
import { IngestDocumentJob, IngestDocumentPayload } from './ingestion.jobs';

type Outcome = { outcome: 'chunked'; chunks: number } | { outcome: 'failed'; reason: string } | { outcome: 'skipped'; reason: string };

/**
 * Turns an upload into chunks. Safe to run twice and to run late: it re-reads the row and
 * does nothing unless this generation is still waiting; chunks are replaced, not appended.
 * A document a person must fix (encrypted, corrupt, empty) fails at once with a readable
 * reason; anything else is retried, and the last attempt records the failure on the row.
 * Parsing and chunking run in a ParseSandbox (a worker thread with a heap limit and a
 * deadline), so a hostile file fails its document and nothing else.
 */
@Injectable()
export class IngestDocumentHandler {
  private readonly logger = new Logger(IngestDocumentHandler.name);

  constructor(
    @InjectTenantRepositories(KnowledgeDocument) private readonly documents: TenantRepositories<KnowledgeDocument>,
    @Inject(BLOB_STORAGE) private readonly blobs: BlobStorage,
    private readonly sandbox: ParseSandbox,
    private readonly lifecycle: DocumentLifecycle,
  ) {}

  @HandlesJob(IngestDocumentJob)
  async ingest(payload: IngestDocumentPayload, context: JobContext): Promise<Outcome> {
    const tenant: Tenant = { dealershipId: payload.dealershipId };
    const doc = await this.documents.for(tenant).findOneBy({ id: payload.documentId });
    if (!doc) return { outcome: 'skipped', reason: 'document deleted' };
    if (doc.generation !== payload.generation) return { outcome: 'skipped', reason: 'superseded by a reindex' };
    if (doc.status === 'ready' || doc.status === 'failed') return { outcome: 'skipped', reason: `already ${doc.status}` };
    try {
      return await this.process(tenant, doc, context);
    } catch (error) {
      if (context.attempt >= context.maxAttempts) {
        await this.fail(tenant, doc, 'Processing failed repeatedly; try again later or contact support.');
      }
      throw error;
    }
  }

  private async process(tenant: Tenant, doc: KnowledgeDocument, context: JobContext): Promise<Outcome> {
    await this.progress(tenant, doc, 5, context);
    const bytes = await this.blobs.get(tenant, doc.blobId);
    if (!bytes) return this.fail(tenant, doc, 'The original file is missing; upload it again.');
    let chunks: DocumentChunk[];
    try {
      chunks = await this.sandbox.parse(bytes, doc.docType as DocumentType);
    } catch (error) {
      if (error instanceof DocumentParseError) return this.fail(tenant, doc, error.message);
      throw error;
    }
    if (chunks.length === 0) return this.fail(tenant, doc, 'No text was found in this document.');
    await this.progress(tenant, doc, 40, context);
    await this.lifecycle.chunked(tenant, doc, chunks.length, (tx) => this.writeChunks(tx, tenant, doc, chunks));
    await context.updateProgress(50);
    return { outcome: 'chunked', chunks: chunks.length };
  }

  /**
   * Writes this generation's chunks, replacing any from an earlier run of this job, in the
   * transaction that queues their embedding. Older generations stay searchable until the
   * last batch lands (EmbedChunksHandler).
   */
  private async writeChunks(tx: OutboxTransaction, tenant: Tenant, doc: KnowledgeDocument, chunks: DocumentChunk[]): Promise<void> {
    await tx.manager.delete(DocumentChunkRow, { documentId: doc.id, dealershipId: tenant.dealershipId, generation: doc.generation });
    await tx.manager.insert(
      DocumentChunkRow,
      chunks.map((chunk) => ({
        id: chunkId(doc.id, doc.generation, chunk.index),
        dealershipId: tenant.dealershipId,
        documentId: doc.id,
        generation: doc.generation,
        chunkIndex: chunk.index,
        text: chunk.text,
        page: chunk.page,
        headingPath: chunk.headingPath,
        tokenCount: chunk.tokenCount,
      })),
    );
  }

  private async progress(tenant: Tenant, doc: KnowledgeDocument, percent: number, context: JobContext): Promise<void> {
    await this.lifecycle.processing(tenant, doc, percent);
    await context.updateProgress(percent);
  }

  private async fail(tenant: Tenant, doc: KnowledgeDocument, reason: string): Promise<Outcome> {
    this.logger.warn(`document ${doc.id} failed: ${reason}`);
    await this.lifecycle.fail(tenant, doc, reason);
    return { outcome: 'failed', reason };
  }
}
