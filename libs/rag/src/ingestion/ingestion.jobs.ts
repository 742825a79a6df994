import { defineJob } from '@showroom/core';

export interface IngestDocumentPayload {
  dealershipId: string;
  documentId: string;
  /** The generation this job builds; a job for an older generation finds nothing to do. */
  generation: number;
}

/** Parse a stored upload into chunks. Safe to run twice: it checks the row's state first. */
export const IngestDocumentJob = defineJob<IngestDocumentPayload>({
  queue: 'ingestion',
  name: 'document.ingest',
  options: { attempts: 3, backoff: { type: 'exponential', delay: 5_000, jitter: 0.5 } },
});

export interface EmbedChunksPayload {
  dealershipId: string;
  documentId: string;
  generation: number;
  /** Chunk indexes [fromIndex, toIndex) of this generation. */
  fromIndex: number;
  toIndex: number;
}

/** Embed one batch of a document's chunks; the last batch to land makes the document ready. */
export const EmbedChunksJob = defineJob<EmbedChunksPayload>({
  queue: 'embeddings',
  name: 'chunks.embed',
  options: { attempts: 5, backoff: { type: 'exponential', delay: 2_000, jitter: 0.5 } },
});
