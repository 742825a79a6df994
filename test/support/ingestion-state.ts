import type { Client } from 'pg';

/** What Postgres says about one document's ingestion, for recovery suites to assert on. */
export interface IngestionState {
  status: string;
  progress: number;
  chunkCount: number;
  error: string | null;
  searchableGeneration: number | null;
  /** Rows of the searchable generation (what search reads). */
  liveChunks: number;
  /** Chunk rows of any generation. */
  allChunks: number;
  /** (document_id, generation, chunk_index) keys that occur more than once. */
  duplicateKeys: number;
  /** Chunk rows of any generation still waiting for a vector. */
  unembedded: number;
}

export async function ingestionState(db: Client, documentId: string): Promise<IngestionState | undefined> {
  const { rows } = await db.query(
    `SELECT d.status, d.progress, d.chunk_count, d.error, d.searchable_generation,
            (SELECT count(*)::int FROM document_chunks c WHERE c.document_id = d.id AND c.generation = d.searchable_generation) AS live_chunks,
            (SELECT count(*)::int FROM document_chunks c WHERE c.document_id = d.id) AS all_chunks,
            (SELECT count(*)::int FROM (SELECT 1 FROM document_chunks c WHERE c.document_id = d.id
                                         GROUP BY c.generation, c.chunk_index HAVING count(*) > 1) dup) AS duplicate_keys,
            (SELECT count(*)::int FROM document_chunks c WHERE c.document_id = d.id AND c.embedding IS NULL) AS unembedded
       FROM documents d WHERE d.id = $1`,
    [documentId],
  );
  const row = rows[0];
  if (!row) return undefined;
  return {
    status: row.status,
    progress: row.progress,
    chunkCount: row.chunk_count,
    error: row.error,
    searchableGeneration: row.searchable_generation,
    liveChunks: row.live_chunks,
    allChunks: row.all_chunks,
    duplicateKeys: row.duplicate_keys,
    unembedded: row.unembedded,
  };
}

/**
 * Markdown long enough that ingesting it takes a while with EMBEDDING_BATCH_SIZE=1 (one
 * embeddings job per chunk), so a test can strike while it is still going. Each section is
 * about one chunk; `phrase` sits in the last section so search must reach the end of it.
 */
export function longMarkdown(sections: number, phrase: string): string {
  const filler = (i: number) =>
    Array.from({ length: 18 }, (_, j) => `Service bulletin ${i}.${j} explains torque values, fluid grades and inspection intervals for fleet vehicles.`).join(' ');
  const body = Array.from({ length: sections }, (_, i) => `## Bulletin ${i}\n\n${filler(i)}${i === sections - 1 ? ` ${phrase}.` : ''}`);
  return `# Workshop manual\n\n${body.join('\n\n')}\n`;
}
