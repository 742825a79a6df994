import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { InjectTenantRepositories, Tenant, TenantRepositories } from '@showroom/auth';
import { HandlesJob, JobContext } from '@showroom/core';
import { And, DataSource, IsNull, LessThan, MoreThanOrEqual, Not } from 'typeorm';
import { DocumentChunkRow } from '../documents/document-chunk.entity';
import { DocumentLifecycle, DocumentRef } from '../documents/document-lifecycle';
import { KnowledgeDocument } from '../documents/document.entity';
import { EMBEDDER, type Embedder } from '../embeddings/embedder.port';
import { toFloat32Bytes } from '../embeddings/vector-bytes';
import { tombstoneChunks } from '../vector-store/vector-tombstones';
import { VECTOR_STORE, type VectorStore } from '../vector-store/vector-store.port';
import { EmbedChunksJob, EmbedChunksPayload } from './ingestion.jobs';

type Outcome = { embedded: number; remaining: number; ready: boolean } | { skipped: string };

/**
 * Embeds one batch of chunks and records progress. Idempotent: it only embeds chunks that
 * have no vector yet, and finishing a document is a conditional update (DocumentLifecycle).
 * When the last batch lands, the new generation becomes the searchable one and older
 * generations are dropped, in one transaction, so search never sees a half-built document.
 * Every read and write is scoped to the job's dealership (tenant repositories, or a
 * dealership_id condition where one SQL statement does a whole batch).
 */
@Injectable()
export class EmbedChunksHandler {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectTenantRepositories(KnowledgeDocument) private readonly documents: TenantRepositories<KnowledgeDocument>,
    @InjectTenantRepositories(DocumentChunkRow) private readonly chunks: TenantRepositories<DocumentChunkRow>,
    @Inject(EMBEDDER) private readonly embedder: Embedder,
    @Inject(VECTOR_STORE) private readonly vectorStore: VectorStore,
    private readonly lifecycle: DocumentLifecycle,
  ) {}

  @HandlesJob(EmbedChunksJob)
  async embed(payload: EmbedChunksPayload, context: JobContext): Promise<Outcome> {
    const tenant: Tenant = { dealershipId: payload.dealershipId };
    const doc = await this.documents.for(tenant).findOneBy({ id: payload.documentId });
    if (!doc || doc.generation !== payload.generation || doc.status !== 'processing') return { skipped: 'document moved on' };
    try {
      return await this.embedBatch(tenant, doc, payload, context);
    } catch (error) {
      if (context.attempt >= context.maxAttempts) {
        await this.lifecycle.fail(tenant, doc, 'Computing embeddings failed repeatedly; try reindexing later.');
      }
      throw error;
    }
  }

  private async embedBatch(tenant: Tenant, doc: DocumentRef, payload: EmbedChunksPayload, context: JobContext): Promise<Outcome> {
    const generation = { documentId: doc.id, generation: doc.generation };
    const pending = await this.chunks.for(tenant).find({
      select: { id: true, text: true },
      where: { ...generation, chunkIndex: And(MoreThanOrEqual(payload.fromIndex), LessThan(payload.toIndex)), embedding: IsNull() },
      order: { chunkIndex: 'ASC' },
    });
    if (pending.length > 0) {
      const vectors = await this.embedder.embed(pending.map((chunk) => chunk.text));
      // The store first, the rows last: a row with a vector means "done", so a crash in
      // between re-embeds and re-upserts the same ids, which overwrites rather than adds.
      await this.vectorStore.upsert(
        tenant.dealershipId,
        pending.map((chunk, i) => ({ id: chunk.id, documentId: doc.id, values: vectors[i] })),
      );
      // One statement for the whole batch (atomic, one round trip).
      await this.dataSource.query(
        `UPDATE document_chunks c SET embedding = v.embedding
           FROM unnest($2::uuid[], $3::bytea[]) AS v(id, embedding)
          WHERE c.id = v.id AND c.dealership_id = $1`,
        [tenant.dealershipId, pending.map((chunk) => chunk.id), pending.map((_, i) => toFloat32Bytes(vectors[i]))],
      );
    }
    const [{ total, remaining }] = (await this.dataSource.query(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE embedding IS NULL)::int AS remaining
         FROM document_chunks WHERE dealership_id = $1 AND document_id = $2 AND generation = $3`,
      [tenant.dealershipId, doc.id, doc.generation],
    )) as { total: number; remaining: number }[];
    const progress = 50 + Math.floor((50 * (total - remaining)) / Math.max(total, 1));
    await context.updateProgress(progress);
    if (remaining > 0) {
      await this.lifecycle.embedding(tenant, doc, progress);
      return { embedded: pending.length, remaining, ready: false };
    }
    await this.lifecycle.ready(tenant, doc, total, async (tx) => {
      await tombstoneChunks(tx, this.vectorStore, tenant.dealershipId, { documentId: doc.id, exceptGeneration: doc.generation });
      await this.chunks.for(tenant, tx.manager).delete({ documentId: doc.id, generation: Not(doc.generation) });
    });
    return { embedded: pending.length, remaining: 0, ready: true };
  }
}
