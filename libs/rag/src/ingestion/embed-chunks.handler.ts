import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { HandlesJob, JobContext, Outbox } from '@showroom/core';
import { DataSource } from 'typeorm';
import { DocumentEvents } from '../documents/events/document-events';
import { EMBEDDER, type Embedder } from '../embeddings/embedder.port';
import { toFloat32Bytes } from '../embeddings/vector-bytes';
import { tombstoneChunks } from '../vector-store/vector-tombstones';
import { VECTOR_STORE, type VectorStore } from '../vector-store/vector-store.port';
import { EmbedChunksJob, EmbedChunksPayload } from './ingestion.jobs';

type Outcome = { embedded: number; remaining: number; ready: boolean } | { skipped: string };

/**
 * Embeds one batch of chunks and records progress. Idempotent: it only embeds chunks that
 * have no vector yet, and finishing a document is a conditional update. When the last batch
 * lands, the new generation becomes the searchable one and older generations are dropped,
 * in one transaction, so search never sees a half-built document.
 */
@Injectable()
export class EmbedChunksHandler {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(EMBEDDER) private readonly embedder: Embedder,
    @Inject(VECTOR_STORE) private readonly vectorStore: VectorStore,
    private readonly outbox: Outbox,
    private readonly events: DocumentEvents,
  ) {}

  @HandlesJob(EmbedChunksJob)
  async embed(payload: EmbedChunksPayload, context: JobContext): Promise<Outcome> {
    const [doc] = (await this.dataSource.query(`SELECT status, generation FROM documents WHERE id = $1 AND dealership_id = $2`, [
      payload.documentId,
      payload.dealershipId,
    ])) as { status: string; generation: number }[];
    if (!doc || doc.generation !== payload.generation || doc.status !== 'processing') return { skipped: 'document moved on' };
    try {
      return await this.embedBatch(payload, context);
    } catch (error) {
      if (context.attempt >= context.maxAttempts) {
        const reason = 'Computing embeddings failed repeatedly; try reindexing later.';
        await this.dataSource.query(
          `UPDATE documents SET status = 'failed', progress = 100, error = $3 WHERE id = $1 AND generation = $2 AND status = 'processing'`,
          [payload.documentId, payload.generation, reason],
        );
        await this.events.publish(payload.dealershipId, { documentId: payload.documentId, status: 'failed', progress: 100, chunkCount: 0, error: reason });
      }
      throw error;
    }
  }

  private async embedBatch(payload: EmbedChunksPayload, context: JobContext): Promise<Outcome> {
    const pending = (await this.dataSource.query(
      `SELECT id, text FROM document_chunks
        WHERE document_id = $1 AND generation = $2 AND chunk_index >= $3 AND chunk_index < $4 AND embedding IS NULL
        ORDER BY chunk_index`,
      [payload.documentId, payload.generation, payload.fromIndex, payload.toIndex],
    )) as { id: string; text: string }[];
    if (pending.length > 0) {
      const vectors = await this.embedder.embed(pending.map((chunk) => chunk.text));
      // The store first, the rows last: a row with a vector means "done", so a crash in
      // between re-embeds and re-upserts the same ids, which overwrites rather than adds.
      await this.vectorStore.upsert(
        payload.dealershipId,
        pending.map((chunk, i) => ({ id: chunk.id, documentId: payload.documentId, values: vectors[i] })),
      );
      await this.dataSource.transaction(async (manager) => {
        for (const [i, chunk] of pending.entries()) {
          await manager.query(`UPDATE document_chunks SET embedding = $2 WHERE id = $1`, [chunk.id, toFloat32Bytes(vectors[i])]);
        }
      });
    }
    const [{ total, remaining }] = (await this.dataSource.query(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE embedding IS NULL)::int AS remaining
         FROM document_chunks WHERE document_id = $1 AND generation = $2`,
      [payload.documentId, payload.generation],
    )) as { total: number; remaining: number }[];
    const progress = 50 + Math.floor((50 * (total - remaining)) / Math.max(total, 1));
    await context.updateProgress(progress);
    if (remaining > 0) {
      await this.dataSource.query(`UPDATE documents SET progress = GREATEST(progress, $3) WHERE id = $1 AND generation = $2 AND status = 'processing'`, [
        payload.documentId,
        payload.generation,
        Math.min(progress, 99),
      ]);
      await this.events.publish(payload.dealershipId, { documentId: payload.documentId, status: 'processing', progress: Math.min(progress, 99), chunkCount: 0, error: null });
      return { embedded: pending.length, remaining, ready: false };
    }
    if (await this.finish(payload, total)) {
      await this.events.publish(payload.dealershipId, { documentId: payload.documentId, status: 'ready', progress: 100, chunkCount: total, error: null });
    }
    return { embedded: pending.length, remaining: 0, ready: true };
  }

  /** True when this call made the document ready (another batch may have done it already). */
  private finish(payload: EmbedChunksPayload, total: number): Promise<boolean> {
    return this.outbox.transaction(async (tx) => {
      const [, changed] = (await tx.manager.query(
        `UPDATE documents SET status = 'ready', progress = 100, chunk_count = $3, searchable_generation = $2, error = NULL
          WHERE id = $1 AND generation = $2 AND status = 'processing'`,
        [payload.documentId, payload.generation, total],
      )) as [unknown, number];
      if (changed > 0) {
        await tombstoneChunks(tx, this.vectorStore, payload.dealershipId, { documentId: payload.documentId, exceptGeneration: payload.generation });
        await tx.manager.query(`DELETE FROM document_chunks WHERE document_id = $1 AND generation <> $2`, [payload.documentId, payload.generation]);
      }
      return changed > 0;
    });
  }
}
