import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig } from '@showroom/core';
import { DataSource } from 'typeorm';
import { GenerationCache, groupByDocument, type LiveDocument } from '../generation-cache';
import { SearchThread } from '../thread/search-thread';
import { indexTerms } from './analyze-text';
import type { LexicalMatch } from './bm25';
import { DocumentTerms } from './document-terms';
import { PersistedPostings } from './persisted-postings';

/**
 * Lexical retrieval: BM25 over an inverted index of each dealership's live chunks, kept in the
 * process per document generation (GenerationCache: checked against Postgres on every query,
 * so exact on every pod after any upload, reindex or delete) and bounded by
 * LEXICAL_INDEX_MAX_MB. A generation's postings are read from document_postings when a pod
 * stored them already, and otherwise built from the chunk texts and stored for the next pod;
 * a document that changes costs only its own rebuild. Scoring runs on the search thread.
 */
@Injectable()
export class LexicalIndex {
  private readonly terms: GenerationCache<DocumentTerms>;
  private readonly persisted: PersistedPostings;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly thread: SearchThread,
  ) {
    this.persisted = new PersistedPostings(dataSource);
    this.terms = new GenerationCache(
      LexicalIndex.name,
      dataSource,
      config.knowledge.lexicalIndexMaxMb * 1024 * 1024,
      (dealershipId, batch) => this.load(dealershipId, batch),
      (entry) => thread.forget(entry),
    );
  }

  /** The dealership's best `topK` chunks for the query by BM25, with how much of it each holds. */
  async query(dealershipId: string, query: string, topK: number): Promise<LexicalMatch[]> {
    const terms = indexTerms(query);
    if (terms.length === 0) return [];
    const documents = await this.terms.current(dealershipId);
    return this.thread.rankBm25([...documents.values()], terms, topK);
  }

  /** Loads (and so warms) the dealership's index without searching it. */
  async warm(dealershipId: string): Promise<void> {
    await this.terms.current(dealershipId);
  }

  private async load(dealershipId: string, batch: LiveDocument[]): Promise<Map<string, DocumentTerms>> {
    const found = await this.persisted.read(dealershipId, batch);
    const missing = batch.filter((doc) => !found.has(doc.id));
    if (missing.length === 0) return found;
    const built = await this.build(dealershipId, missing);
    await this.persisted.write(dealershipId, built);
    return new Map([...found, ...built]);
  }

  private async build(dealershipId: string, batch: LiveDocument[]): Promise<Map<string, DocumentTerms>> {
    const rows = (await this.dataSource.query(
      `SELECT c.document_id, c.id, c.text FROM document_chunks c
         JOIN unnest($2::uuid[], $3::int[]) AS live(document_id, generation)
           ON live.document_id = c.document_id AND live.generation = c.generation
        WHERE c.dealership_id = $1
        ORDER BY c.document_id, c.chunk_index`,
      [dealershipId, batch.map((doc) => doc.id), batch.map((doc) => doc.generation)],
    )) as { document_id: string; id: string; text: string }[];
    const byDocument = groupByDocument(rows);
    return new Map(batch.map((doc) => [doc.id, DocumentTerms.fromRows(doc.generation, byDocument.get(doc.id) ?? [])]));
  }
}
