import { Logger } from '@nestjs/common';
import { promisify } from 'node:util';
import { brotliCompress, brotliDecompress, constants } from 'node:zlib';
import type { DataSource } from 'typeorm';
import type { LiveDocument } from '../generation-cache';
import { ANALYZER_VERSION } from './analyzer-version';
import { DocumentTerms } from './document-terms';

const compress = promisify(brotliCompress);
const decompress = promisify(brotliDecompress);
/**
 * Brotli quality 5: a 100k-chunk layout goes from 29 to 9 MB (quality 1: 14 MB), and reading
 * those bytes from Postgres is most of a cold load; decompressing takes ~0.3 s, compressing
 * ~1.5 s once per generation. Both run in libuv's thread pool, not on the event loop.
 */
const BROTLI = { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_GENERIC } };

/**
 * Postings of each document generation as the first pod to need them built them, so other pods
 * (and this one after a restart) read a few MB instead of analysing every chunk's text again
 * (seconds per 100k chunks). A (document, generation) never changes, so a stored copy is valid
 * for as long as its analyzer is: rows carry ANALYZER_VERSION and only rows of this pod's
 * version are read (another version is rebuilt from the text and stored beside it). Rows go
 * with their document (foreign key) and older generations are deleted when a newer one is
 * stored. Every statement is scoped by dealership.
 */
export class PersistedPostings {
  private readonly logger = new Logger(PersistedPostings.name);

  constructor(private readonly dataSource: DataSource) {}

  /** The stored postings of these generations that this code can read; the others are absent. */
  async read(dealershipId: string, documents: LiveDocument[]): Promise<Map<string, DocumentTerms>> {
    const rows = (await this.dataSource.query(
      `SELECT p.document_id, p.generation, p.postings FROM document_postings p
         JOIN unnest($2::uuid[], $3::int[]) AS live(document_id, generation)
           ON live.document_id = p.document_id AND live.generation = p.generation
        WHERE p.dealership_id = $1 AND p.analyzer_version = $4`,
      [dealershipId, documents.map((doc) => doc.id), documents.map((doc) => doc.generation), ANALYZER_VERSION],
    )) as { document_id: string; generation: number; postings: Buffer }[];
    const found = new Map<string, DocumentTerms>();
    for (const row of rows) {
      try {
        found.set(row.document_id, DocumentTerms.fromStored(row.generation, await decompress(row.postings)));
      } catch (error) {
        // A layout this build does not read (written by another version): rebuilt and replaced.
        this.logger.debug(`stored postings of document ${row.document_id} not read: ${(error as Error).message}`);
      }
    }
    return found;
  }

  /**
   * Stores freshly built postings, replacing older generations' and analyzers'. Best effort: a
   * document deleted meanwhile (or any write error) only means the next pod builds them again.
   */
  async write(dealershipId: string, built: Map<string, DocumentTerms>): Promise<void> {
    if (built.size === 0) return;
    const ids = [...built.keys()];
    const terms = [...built.values()];
    try {
      const stored = await Promise.all(terms.map((t) => compress(Buffer.from(t.bytes.buffer, t.bytes.byteOffset, t.bytes.byteLength), BROTLI)));
      await this.dataSource.query(
        `WITH stored AS (
           INSERT INTO document_postings (dealership_id, document_id, generation, analyzer_version, postings)
           SELECT $1, d.id, x.generation, $4, x.postings
             FROM unnest($2::uuid[], $3::int[], $5::bytea[]) AS x(document_id, generation, postings)
             JOIN documents d ON d.id = x.document_id AND d.dealership_id = $1
           ON CONFLICT (document_id, generation, analyzer_version) DO UPDATE SET postings = EXCLUDED.postings
           RETURNING document_id, generation
         )
         DELETE FROM document_postings p USING stored
          WHERE p.dealership_id = $1 AND p.document_id = stored.document_id
            AND (p.generation < stored.generation OR p.analyzer_version < $4)`,
        [dealershipId, ids, terms.map((t) => t.generation), ANALYZER_VERSION, stored],
      );
    } catch (error) {
      this.logger.warn(`postings of ${ids.length} document(s) not stored: ${(error as Error).message}`);
    }
  }
}
