import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Tenant } from '@showroom/auth';
import { DataSource } from 'typeorm';
import { EMBEDDER, type Embedder } from '../embeddings/embedder.port';
import { QueryEmbeddingCache } from '../embeddings/query-embedding-cache';
import { VECTOR_STORE, type VectorStore } from '../vector-store/vector-store.port';
import { LexicalIndex } from './lexical/lexical-index';
import { RecentDealerships } from './recent-dealerships';
import { reciprocalRankFusion } from './reciprocal-rank-fusion';
import { SearchMetrics } from './search-metrics';

export interface SearchHit {
  documentId: string;
  documentTitle: string;
  chunkId: string;
  text: string;
  page: number | null;
  score: number;
  /** Cosine similarity to the question from the vector retriever (0 when it did not find the chunk or did not run). */
  relevance: number;
  /**
   * Share of the question's informative words the chunk holds, 0 to 1 (0 when the lexical
   * retriever did not find it): each term weighs by its rarity in everyday English, so model
   * names and trade words carry a question and "best" or "time" hardly count. A question about
   * something the documents do not cover scores low even when it shares an everyday word.
   */
  termCoverage: number;
  /** The chunk holds every term of the question: strong lexical evidence whatever the cosine. */
  matchedAllWords: boolean;
}

/** Candidates taken from each retriever before fusing. */
const CANDIDATES = 50;

/** Which retrievers answer: both fused (the default), or one alone (for comparison). */
export type SearchMode = 'hybrid' | 'vector' | 'fulltext';

// Only chunks of each document's searchable generation, and only the caller's dealership.
const LIVE_CHUNKS = `document_chunks c JOIN documents d ON d.id = c.document_id AND d.searchable_generation = c.generation
  WHERE c.dealership_id = $1`;

interface ChunkRow {
  id: string;
  document_id: string;
  title: string;
  text: string;
  page: number | null;
}

/**
 * Hybrid retrieval: BM25 over the dealership's in-process lexical index and the vector
 * store's nearest chunks, fused by reciprocal rank. With an embedder whose vectors encode only
 * words (the local default) the vector leg adds nothing BM25 lacks and fusing it made ranking
 * worse (BENCHMARKS.md, retrieval-quality), so hybrid is BM25 alone then; a semantic embedder
 * is fused. Everything is scoped to the caller's dealership, and only chunks of each
 * document's searchable generation are returned, whatever the vector store still holds.
 */
@Injectable()
export class SearchService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(EMBEDDER) private readonly embedder: Embedder,
    @Inject(VECTOR_STORE) private readonly vectorStore: VectorStore,
    private readonly queryVectors: QueryEmbeddingCache,
    private readonly lexical: LexicalIndex,
    private readonly metrics: SearchMetrics,
    private readonly recent: RecentDealerships,
  ) {}

  async search(tenant: Tenant, query: string, topK: number, mode: SearchMode = 'hybrid'): Promise<{ items: SearchHit[] }> {
    const done = this.metrics.startTimer(mode, this.vectorStore.name);
    this.recent.touch(tenant.dealershipId);
    try {
      return await this.retrieve(tenant, query, topK, mode);
    } finally {
      done();
    }
  }

  private async retrieve(tenant: Tenant, query: string, topK: number, mode: SearchMode): Promise<{ items: SearchHit[] }> {
    const useVectors = mode === 'vector' || (mode === 'hybrid' && !this.embedder.wordsOnly);
    const candidates = Math.max(CANDIDATES, topK);
    const [vectorHits, textHits] = await Promise.all([
      useVectors ? this.vectorCandidates(tenant, query, candidates) : [],
      mode === 'vector' ? [] : this.lexical.query(tenant.dealershipId, query, candidates),
    ]);
    const relevance = new Map(vectorHits.map((hit) => [hit.id, hit.score]));
    const coverage = new Map(textHits.map((hit) => [hit.id, hit.coverage]));
    const fused = reciprocalRankFusion([
      { ids: textHits.map((hit) => hit.id), weight: 1 },
      { ids: vectorHits.map((hit) => hit.id), weight: 1 },
    ]);
    const rows = await this.liveRows(tenant, fused.map((hit) => hit.id), topK);
    const items = fused.flatMap(({ id, score }) => {
      const row = rows.get(id);
      if (!row) return [];
      const termCoverage = coverage.get(id) ?? 0;
      return [{
        documentId: row.document_id,
        documentTitle: row.title,
        chunkId: row.id,
        text: row.text,
        page: row.page,
        score: Number(score.toFixed(6)),
        relevance: Number((relevance.get(id) ?? 0).toFixed(6)),
        termCoverage: Number(termCoverage.toFixed(6)),
        matchedAllWords: termCoverage > 0.999_999,
      }];
    });
    return { items: items.slice(0, topK) };
  }

  /**
   * The rows of the best fused ids that are live (a vector store may still return chunks of a
   * generation being replaced), read in slices so a search reads about topK texts, not all
   * the candidates'.
   */
  private async liveRows(tenant: Tenant, ids: string[], topK: number): Promise<Map<string, ChunkRow>> {
    const rows = new Map<string, ChunkRow>();
    for (let from = 0; from < ids.length && rows.size < topK; ) {
      const slice = ids.slice(from, from + Math.max(topK - rows.size, 1) + 5);
      from += slice.length;
      const found = (await this.dataSource.query(
        `SELECT c.id, c.document_id, d.title, c.text, c.page FROM ${LIVE_CHUNKS} AND c.id = ANY($2::uuid[])`,
        [tenant.dealershipId, slice],
      )) as ChunkRow[];
      for (const row of found) rows.set(row.id, row);
    }
    return rows;
  }

  /** The vector store's nearest chunks above the embedder's noise floor, best first. */
  private async vectorCandidates(tenant: Tenant, query: string, candidates: number): Promise<{ id: string; score: number }[]> {
    const queryVector = await this.queryVectors.embedQuery(query);
    const matches = await this.vectorStore.query(tenant.dealershipId, queryVector, candidates);
    return matches.filter((hit) => hit.score >= this.embedder.relevanceFloor);
  }
}
