import { Inject, Injectable } from '@nestjs/common';
import { InjectTenantRepositories, Tenant, TenantRepositories } from '@showroom/auth';
import { APP_CONFIG, AppConfig, Outbox, OutboxTransaction } from '@showroom/core';
import { randomUUID } from 'node:crypto';
import { FindOptionsWhere, In, LessThan } from 'typeorm';
import { EmbedChunksJob, IngestDocumentJob } from '../ingestion/ingestion.jobs';
import { documentBusy, documentNotFound } from './document-errors';
import { DocumentStatus, KnowledgeDocument } from './document.entity';
import { DocumentEvents, DocumentProgressEvent } from './events/document-events';

/** What the lifecycle needs to know of a document it moves on (as read by its caller). */
export type DocumentRef = Pick<KnowledgeDocument, 'id' | 'generation' | 'chunkCount'>;

/** What an upload says about its document; the lifecycle sets the rest. */
export type NewDocument = Pick<KnowledgeDocument, 'title' | 'fileName' | 'docType' | 'mimeType' | 'sizeBytes' | 'contentSha256' | 'blobId' | 'createdBy'>;

const UNFINISHED: DocumentStatus[] = ['queued', 'processing'];

/** BullMQ's lowest priority (larger numbers run later). */
const LOWEST_PRIORITY = 2_097_152;

/**
 * The one owner of a document's status, progress and queueing. Every change is a conditional
 * update of one generation through the tenant-scoped repository (a change whose condition no
 * longer holds changes nothing and is reported as false, so a job that runs twice or late is
 * harmless), and every change that happened publishes the progress event. Jobs go through the
 * outbox with the dealership's fair priority. Callers decide when; this decides how.
 */
@Injectable()
export class DocumentLifecycle {
  constructor(
    @InjectTenantRepositories(KnowledgeDocument) private readonly documents: TenantRepositories<KnowledgeDocument>,
    private readonly outbox: Outbox,
    private readonly events: DocumentEvents,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** A new upload: the row, `queued`, and its ingestion job, in one transaction. */
  queueNew(tenant: Tenant, fields: NewDocument): Promise<KnowledgeDocument> {
    return this.outbox.transaction(async (tx) => {
      const inserted = await this.documents.for(tenant, tx.manager).insert({
        ...fields,
        id: randomUUID(),
        status: 'queued',
        progress: 0,
        chunkCount: 0,
        error: null,
        generation: 0,
        createdAt: new Date(),
      });
      await this.queueIngestion(tx, tenant, inserted);
      return inserted;
    });
  }

  /**
   * A reindex: a finished (ready or failed) document is queued again as a new generation; its
   * current chunks stay searchable until the new ones are ready. 404 for no such document,
   * 409 while it is still queued or processing.
   */
  queueReindex(tenant: Tenant, id: string): Promise<KnowledgeDocument> {
    return this.outbox.transaction(async (tx) => {
      const documents = this.documents.for(tenant, tx.manager);
      const doc = await documents.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!doc) throw documentNotFound();
      if (UNFINISHED.includes(doc.status)) throw documentBusy();
      const changes = { generation: doc.generation + 1, status: 'queued' as const, progress: 0, error: null, ingestAttempts: 0 };
      await documents.update({ id, generation: doc.generation, status: In(['ready', 'failed']) }, changes);
      const queued = { ...doc, ...changes };
      await this.queueIngestion(tx, tenant, queued);
      return queued;
    });
  }

  /**
   * The reconciler's restart of an unfinished document whose job is gone: `queued` again with
   * one more attempt counted, unless it moved on (finished, reindexed, restarted) meanwhile.
   */
  restart(tenant: Tenant, doc: DocumentRef & Pick<KnowledgeDocument, 'ingestAttempts'>): Promise<boolean> {
    return this.outbox.transaction(async (tx) => {
      const changed = await this.documents
        .for(tenant, tx.manager)
        .update(
          { id: doc.id, generation: doc.generation, status: In(UNFINISHED), ingestAttempts: doc.ingestAttempts },
          { status: 'queued', progress: 0, ingestAttempts: doc.ingestAttempts + 1 },
        );
      if (changed === 0) return false;
      await this.queueIngestion(tx, tenant, doc);
      return true;
    });
  }

  /** Ingestion at work (parsing, chunking): `processing` at `percent`. */
  async processing(tenant: Tenant, doc: DocumentRef, percent: number): Promise<boolean> {
    const changed = await this.documents.for(tenant).update(this.unfinished(doc), { status: 'processing', progress: percent, error: null });
    if (changed > 0) await this.publish(tenant, doc, { status: 'processing', progress: percent, error: null });
    return changed > 0;
  }

  /**
   * The chunks are parsed: `writeChunks` stores them and, in the same transaction, the
   * document moves to `processing` 50 and one embedding job per batch of chunks is queued.
   */
  chunked(tenant: Tenant, doc: DocumentRef, chunkCount: number, writeChunks: (tx: OutboxTransaction) => Promise<void>): Promise<boolean> {
    const batch = this.config.knowledge.embeddingBatchSize;
    return this.outbox.transaction(async (tx) => {
      await writeChunks(tx);
      const changed = await this.documents.for(tenant, tx.manager).update(this.unfinished(doc), { status: 'processing', progress: 50 });
      if (changed === 0) return false;
      const priority = await this.fairPriority(tx, tenant);
      for (let from = 0; from < chunkCount; from += batch) {
        const payload = { dealershipId: tenant.dealershipId, documentId: doc.id, generation: doc.generation, fromIndex: from, toIndex: from + batch };
        await tx.enqueue(EmbedChunksJob, payload, { priority });
      }
      tx.afterCommit(() => this.publish(tenant, doc, { status: 'processing', progress: 50, error: null }));
      return true;
    });
  }

  /** Embedding batches landing: progress rises (never falls, whatever order batches finish in), at most 99. */
  async embedding(tenant: Tenant, doc: DocumentRef, percent: number): Promise<boolean> {
    const progress = Math.min(percent, 99);
    const changed = await this.documents
      .for(tenant)
      .update({ id: doc.id, generation: doc.generation, status: 'processing', progress: LessThan(progress) }, { progress });
    if (changed > 0) await this.publish(tenant, doc, { status: 'processing', progress, error: null });
    return changed > 0;
  }

  /**
   * The last batch landed: the generation becomes the searchable one and the document `ready`.
   * `retireOlderGenerations` runs in the same transaction, only when this call made it ready,
   * so search never sees a half-built document. False when another batch got there first.
   */
  ready(tenant: Tenant, doc: DocumentRef, chunkCount: number, retireOlderGenerations: (tx: OutboxTransaction) => Promise<void>): Promise<boolean> {
    return this.outbox.transaction(async (tx) => {
      const changed = await this.documents
        .for(tenant, tx.manager)
        .update(
          { id: doc.id, generation: doc.generation, status: 'processing' },
          { status: 'ready', progress: 100, chunkCount, searchableGeneration: doc.generation, error: null },
        );
      if (changed === 0) return false;
      await retireOlderGenerations(tx);
      tx.afterCommit(() => this.publish(tenant, { ...doc, chunkCount }, { status: 'ready', progress: 100, error: null }));
      return true;
    });
  }

  /** An unfinished document fails with a reason a person understands. */
  async fail(tenant: Tenant, doc: DocumentRef, reason: string): Promise<boolean> {
    const changed = await this.documents.for(tenant).update(this.unfinished(doc), { status: 'failed', progress: 100, error: reason });
    if (changed > 0) await this.publish(tenant, doc, { status: 'failed', progress: 100, error: reason });
    return changed > 0;
  }

  private async queueIngestion(tx: OutboxTransaction, tenant: Tenant, doc: DocumentRef): Promise<void> {
    const priority = await this.fairPriority(tx, tenant);
    await tx.enqueue(IngestDocumentJob, { dealershipId: tenant.dealershipId, documentId: doc.id, generation: doc.generation }, { priority });
    tx.afterCommit(() => this.publish(tenant, doc, { status: 'queued', progress: 0, error: null }));
  }

  /**
   * Fairness between dealerships on the shared queues: a job's BullMQ priority is how many of
   * its dealership's documents are waiting or in progress (this one included). A dealership's
   * first document runs ahead of another dealership's 500th, so one big upload cannot starve
   * everyone else, while each dealership's own documents keep their order.
   */
  private async fairPriority(tx: OutboxTransaction, tenant: Tenant): Promise<number> {
    const pending = await this.documents.for(tenant, tx.manager).count({ status: In(UNFINISHED) });
    return Math.min(Math.max(pending, 1), LOWEST_PRIORITY);
  }

  private unfinished(doc: DocumentRef): FindOptionsWhere<KnowledgeDocument> {
    return { id: doc.id, generation: doc.generation, status: In(UNFINISHED) };
  }

  private publish(tenant: Tenant, doc: DocumentRef, state: Pick<DocumentProgressEvent, 'status' | 'progress' | 'error'>): Promise<void> {
    return this.events.publish(tenant.dealershipId, { documentId: doc.id, chunkCount: doc.chunkCount, ...state });
  }
}
