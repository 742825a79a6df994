import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Tenant } from '@showroom/auth';
import { DataSource } from 'typeorm';

/**
 * The text of a dealership's searchable knowledge, for readers that need its words rather than
 * passages (voice builds the speech recogniser's vocabulary from it). Scoped to the caller's
 * dealership and to each document's searchable generation, like search.
 */
@Injectable()
export class KnowledgeText {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Changes whenever a document becomes searchable, is reindexed or is deleted: a cache key for what `texts` returns. */
  async fingerprint(tenant: Tenant): Promise<string> {
    const [row] = (await this.dataSource.query(
      `SELECT count(*)::int AS n, coalesce(sum(searchable_generation), 0)::int AS generations,
              coalesce(max(extract(epoch FROM updated_at)), 0)::text AS changed
         FROM documents WHERE dealership_id = $1 AND searchable_generation IS NOT NULL`,
      [tenant.dealershipId],
    )) as { n: number; generations: number; changed: string }[];
    return `${row.n}:${row.generations}:${row.changed}`;
  }

  /** The searchable chunks' text, document by document in reading order, up to about `maxChars`. */
  async texts(tenant: Tenant, maxChars: number): Promise<string[]> {
    const rows = (await this.dataSource.query(
      `SELECT c.text FROM document_chunks c
         JOIN documents d ON d.id = c.document_id AND d.searchable_generation = c.generation
        WHERE c.dealership_id = $1
        ORDER BY d.created_at, c.document_id, c.chunk_index
        LIMIT 5000`,
      [tenant.dealershipId],
    )) as { text: string }[];
    const texts: string[] = [];
    let total = 0;
    for (const { text } of rows) {
      if (total + text.length > maxChars) break;
      texts.push(text);
      total += text.length;
    }
    return texts;
  }
}
