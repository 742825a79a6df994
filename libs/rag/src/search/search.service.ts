import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Tenant } from '@showroom/auth';
import { DataSource } from 'typeorm';
import { EMBEDDER, type Embedder } from '../embeddings/embedder.port';
import { QueryEmbeddingCache } from '../embeddings/query-embedding-cache';
import { dotFloat32Bytes } from '../embeddings/vector-bytes';
import { reciprocalRankFusion } from './reciprocal-rank-fusion';

export interface SearchHit {
  documentId: string;
  documentTitle: string;
  chunkId: string;
  text: string;
  page: number | null;
  score: number;
}

/** Candidates taken from each retriever before fusing. */
const CANDIDATES = 50;

// Only chunks of each document's searchable generation, and only the caller's dealership.
const LIVE_CHUNKS = `document_chunks c JOIN documents d ON d.id = c.document_id AND d.searchable_generation = c.generation
  WHERE c.dealership_id = $1`;

/**
 * Hybrid retrieval over the Postgres vector store: exact vector search (dot product of unit
 * vectors, computed here over the dealership's live chunks) and Postgres full-text search,
 * fused by reciprocal rank. Everything is scoped to the caller's dealership.
 */
@Injectable()
export class SearchService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(EMBEDDER) private readonly embedder: Embedder,
    private readonly queryVectors: QueryEmbeddingCache,
  ) {}

  async search(tenant: Tenant, query: string, topK: number): Promise<{ items: SearchHit[] }> {
    const [vectorIds, textIds] = await Promise.all([this.vectorCandidates(tenant, query), this.fullTextCandidates(tenant, query)]);
    const fused = reciprocalRankFusion([vectorIds, textIds]).slice(0, topK);
    if (fused.length === 0) return { items: [] };
    const rows = (await this.dataSource.query(
      `SELECT c.id, c.document_id, d.title, c.text, c.page FROM ${LIVE_CHUNKS} AND c.id = ANY($2::uuid[])`,
      [tenant.dealershipId, fused.map((hit) => hit.id)],
    )) as { id: string; document_id: string; title: string; text: string; page: number | null }[];
    const byId = new Map(rows.map((row) => [row.id, row]));
    const items = fused.flatMap(({ id, score }) => {
      const row = byId.get(id);
      return row ? [{ documentId: row.document_id, documentTitle: row.title, chunkId: row.id, text: row.text, page: row.page, score: Number(score.toFixed(6)) }] : [];
    });
    return { items };
  }

  private async vectorCandidates(tenant: Tenant, query: string): Promise<string[]> {
    const queryVector = await this.queryVectors.embedQuery(query);
    const rows = (await this.dataSource.query(`SELECT c.id, c.embedding FROM ${LIVE_CHUNKS} AND c.embedding IS NOT NULL`, [
      tenant.dealershipId,
    ])) as { id: string; embedding: Buffer }[];
    const query32 = Float32Array.from(queryVector);
    return rows
      .map((row) => ({ id: row.id, score: dotFloat32Bytes(query32, row.embedding) }))
      .filter((hit) => hit.score >= this.embedder.relevanceFloor)
      .sort((a, b) => b.score - a.score)
      .slice(0, CANDIDATES)
      .map((hit) => hit.id);
  }

  private async fullTextCandidates(tenant: Tenant, query: string): Promise<string[]> {
    // Any of the query's words may match (OR), for recall; ts_rank_cd puts chunks that match
    // more of them, closer together, first.
    const rows = (await this.dataSource.query(
      `WITH q AS (SELECT replace(plainto_tsquery('english', $2)::text, ' & ', ' | ')::tsquery AS query)
       SELECT c.id FROM q, ${LIVE_CHUNKS} AND c.tsv @@ q.query
        ORDER BY ts_rank_cd(c.tsv, q.query) DESC, c.id
        LIMIT ${CANDIDATES}`,
      [tenant.dealershipId, query],
    )) as { id: string }[];
    return rows.map((row) => row.id);
  }
}


