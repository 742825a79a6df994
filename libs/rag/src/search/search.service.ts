import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Tenant } from '@showroom/auth';
import { DataSource } from 'typeorm';
import { EMBEDDER, type Embedder } from '../embeddings/embedder.port';
import { QueryEmbeddingCache } from '../embeddings/query-embedding-cache';
import { VECTOR_STORE, type VectorStore } from '../vector-store/vector-store.port';
import { reciprocalRankFusion } from './reciprocal-rank-fusion';
import { SearchMetrics } from './search-metrics';

export interface SearchHit {
  documentId: string;
  documentTitle: string;
  chunkId: string;
  text: string;
  page: number | null;
  score: number;
  relevance: number;
  /** The chunk holds every word of the query (full-text): strong lexical evidence whatever the cosine. */
  matchedAllWords: boolean;
}

/** Candidates taken from each retriever before fusing. */
const CANDIDATES = 50;

/** Which retrievers answer: both fused (the default), or one alone (for comparison). */
export type SearchMode = 'hybrid' | 'vector' | 'fulltext';

// Only chunks of each document's searchable generation, and only the caller's dealership.
const LIVE_CHUNKS = `document_chunks c JOIN documents d ON d.id = c.document_id AND d.searchable_generation = c.generation
  WHERE c.dealership_id = $1`;

/**
 * Hybrid retrieval: the vector store's nearest chunks and Postgres full-text search, fused
 * by reciprocal rank. Everything is scoped to the caller's dealership, and only chunks of
 * each document's searchable generation are returned, whatever the vector store still holds.
 * A hit's score is the fused score; `relevance` is its cosine similarity to the query
 * (0 when only full text found it), which chat uses to decide whether anything relevant
 * was found at all.
 */
@Injectable()
export class SearchService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(EMBEDDER) private readonly embedder: Embedder,
    @Inject(VECTOR_STORE) private readonly vectorStore: VectorStore,
    private readonly queryVectors: QueryEmbeddingCache,
    private readonly metrics: SearchMetrics,
  ) {}

  async search(tenant: Tenant, query: string, topK: number, mode: SearchMode = 'hybrid'): Promise<{ items: SearchHit[] }> {
    const done = this.metrics.startTimer(mode, this.vectorStore.name);
    try {
      return await this.retrieve(tenant, query, topK, mode);
    } finally {
      done();
    }
  }

  private async retrieve(tenant: Tenant, query: string, topK: number, mode: SearchMode): Promise<{ items: SearchHit[] }> {
    const [vectorHits, textHits] = await Promise.all([
      mode === 'fulltext' ? [] : this.vectorCandidates(tenant, query),
      mode === 'vector' ? [] : this.fullTextCandidates(tenant, query),
    ]);
    const relevance = new Map(vectorHits.map((hit) => [hit.id, hit.score]));
    const allWords = new Set(textHits.filter((hit) => hit.everyWord).map((hit) => hit.id));
    const lists = [vectorHits.map((hit) => hit.id), textHits.map((hit) => hit.id)].filter((ids) => ids.length > 0);
    // Fused over more than topK: a candidate the store returned may not be live any more.
    const fused = reciprocalRankFusion(lists);
    if (fused.length === 0) return { items: [] };
    const rows = (await this.dataSource.query(
      `SELECT c.id, c.document_id, d.title, c.text, c.page FROM ${LIVE_CHUNKS} AND c.id = ANY($2::uuid[])`,
      [tenant.dealershipId, fused.map((hit) => hit.id)],
    )) as { id: string; document_id: string; title: string; text: string; page: number | null }[];
    const byId = new Map(rows.map((row) => [row.id, row]));
    const items = fused.flatMap(({ id, score }) => {
      const row = byId.get(id);
      if (!row) return [];
      return [{
        documentId: row.document_id,
        documentTitle: row.title,
        chunkId: row.id,
        text: row.text,
        page: row.page,
        score: Number(score.toFixed(6)),
        relevance: Number((relevance.get(id) ?? 0).toFixed(6)),
        matchedAllWords: allWords.has(id),
      }];
    });
    return { items: items.slice(0, topK) };
  }

  /** The vector store's nearest chunks above the embedder's noise floor, best first. */
  private async vectorCandidates(tenant: Tenant, query: string): Promise<{ id: string; score: number }[]> {
    const queryVector = await this.queryVectors.embedQuery(query);
    const matches = await this.vectorStore.query(tenant.dealershipId, queryVector, CANDIDATES);
    return matches.filter((hit) => hit.score >= this.embedder.relevanceFloor);
  }

  private async fullTextCandidates(tenant: Tenant, query: string): Promise<{ id: string; everyWord: boolean }[]> {
    // Chunks holding every word of the query come first; only when there are too few of them
    // are chunks with any of the words (OR) ranked too, for recall. ts_rank_cd reads each
    // matching chunk's tsvector, so ranking every OR match of common words costs seconds at
    // 100k chunks; the outer LIMIT stops the second branch from running at all when the
    // first fills the candidates (Postgres runs UNION ALL branches lazily).
    const rows = (await this.dataSource.query(
      `WITH q AS (SELECT plainto_tsquery('english', $2) AS every_word,
                         replace(plainto_tsquery('english', $2)::text, ' & ', ' | ')::tsquery AS any_word)
       (SELECT c.id, true AS every_word FROM q, ${LIVE_CHUNKS} AND c.tsv @@ q.every_word
         ORDER BY ts_rank_cd(c.tsv, q.any_word) DESC, c.id LIMIT ${CANDIDATES})
       UNION ALL
       (SELECT c.id, false AS every_word FROM q, ${LIVE_CHUNKS} AND c.tsv @@ q.any_word AND NOT c.tsv @@ q.every_word
         ORDER BY ts_rank_cd(c.tsv, q.any_word) DESC, c.id LIMIT ${CANDIDATES})
       LIMIT ${CANDIDATES}`,
      [tenant.dealershipId, query],
    )) as { id: string; every_word: boolean }[];
    return rows.map((row) => ({ id: row.id, everyWord: row.every_word }));
  }
}


