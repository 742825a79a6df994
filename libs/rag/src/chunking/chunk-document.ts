import type { ParsedDocument, ParsedSection } from '../parsing';
import { splitAtTokens, splitToTokenBudget, tokenTail } from './split-text';
import { countTokens, fitsTokenBudget } from './tokenizer';

export interface DocumentChunk {
  /** Position in the document, from 0; with the text's hash it makes a stable chunk id. */
  index: number;
  /** What gets embedded and searched: the heading path line, then the body (see chunkDocument). */
  text: string;
  page: number | null;
  headingPath: string[];
  /** cl100k_base tokens in `text`, never more than maxTokens. */
  tokenCount: number;
}

export interface ChunkOptions {
  /** Most tokens in one chunk's text, heading line included. Default 400. */
  maxTokens?: number;
  /** Tokens each chunk repeats from the end of the previous chunk of the same run. Default 50. */
  overlapTokens?: number;
}

export const DEFAULT_CHUNK_OPTIONS: Required<ChunkOptions> = { maxTokens: 400, overlapTokens: 50 };

const PARAGRAPH_BREAK = '\n\n';
// Joining strings can cost a token or two more than their separate counts at each seam.
const SEAM_SLACK_TOKENS = 4;
// A heading line longer than this share of the budget is kept as metadata only.
const MAX_HEADING_SHARE = 0.25;

interface SectionRun {
  page: number | null;
  headingPath: string[];
  texts: string[];
}

/**
 * Cuts a parsed document into chunks for embedding and search.
 *
 * - Structure first: a chunk holds consecutive sections of one page and one heading path only;
 *   sections of such a run are packed together up to maxTokens.
 * - A section larger than a chunk is split at sentence boundaries, and a sentence larger than a
 *   chunk at token boundaries.
 * - Each chunk after the first of a run starts with about overlapTokens of the previous chunk's
 *   end, so a fact cut at the seam is whole in one of the two.
 * - The heading path is both metadata (`headingPath`) and the first line of `text`
 *   ("Warranty > Powertrain"), because a passage like "Covered for 5 years" only answers a
 *   question together with its heading, for the embedding and for full-text search alike.
 *
 * Pure and deterministic: the same document and options always give the same chunks.
 */
export function chunkDocument(doc: ParsedDocument, options: ChunkOptions = {}): DocumentChunk[] {
  const { maxTokens, overlapTokens } = resolveChunkOptions(options);
  return sectionRuns(doc.sections)
    .flatMap((run) => chunkRun(run, maxTokens, overlapTokens))
    .map((chunk, index) => ({ index, ...chunk }));
}

function resolveChunkOptions(options: ChunkOptions): Required<ChunkOptions> {
  const { maxTokens, overlapTokens } = { ...DEFAULT_CHUNK_OPTIONS, ...options };
  if (!Number.isInteger(maxTokens) || maxTokens < 32) throw new RangeError(`maxTokens must be an integer of at least 32, got ${maxTokens}`);
  if (!Number.isInteger(overlapTokens) || overlapTokens < 0 || overlapTokens > maxTokens / 2) {
    throw new RangeError(`overlapTokens must be an integer from 0 to half of maxTokens, got ${overlapTokens}`);
  }
  return { maxTokens, overlapTokens };
}

function sectionRuns(sections: ParsedSection[]): SectionRun[] {
  const runs: SectionRun[] = [];
  for (const section of sections) {
    const last = runs[runs.length - 1];
    if (last && last.page === section.page && samePath(last.headingPath, section.headingPath)) last.texts.push(section.text);
    else runs.push({ page: section.page, headingPath: [...section.headingPath], texts: [section.text] });
  }
  return runs;
}

function chunkRun(run: SectionRun, maxTokens: number, overlapTokens: number): Omit<DocumentChunk, 'index'>[] {
  const heading = headingLine(run.headingPath, maxTokens);
  const fits = (body: string) => fitsTokenBudget(heading + body, maxTokens);
  const pieceBudget = maxTokens - countTokens(heading) - overlapTokens - SEAM_SLACK_TOKENS;
  const pieces = run.texts.flatMap((text) => splitToTokenBudget(text, pieceBudget));

  const bodies: string[] = [];
  let body = '';
  const add = (piece: string): void => {
    const joined = body === '' ? piece : `${body}${PARAGRAPH_BREAK}${piece}`;
    if (fits(joined)) {
      body = joined;
    } else if (body === '') {
      // Only if the seam slack was not enough: cut the piece smaller.
      for (const smaller of splitAtTokens(piece, Math.max(1, Math.floor(pieceBudget / 2)))) add(smaller);
    } else {
      bodies.push(body);
      const overlap = tokenTail(body, overlapTokens);
      const withOverlap = `${overlap}${PARAGRAPH_BREAK}${piece}`;
      body = overlap !== '' && fits(withOverlap) ? withOverlap : '';
      if (body === '') add(piece);
    }
  };
  for (const piece of pieces) add(piece);
  if (body !== '') bodies.push(body);

  return bodies.map((chunkBody) => {
    const text = heading + chunkBody;
    return { text, page: run.page, headingPath: [...run.headingPath], tokenCount: countTokens(text) };
  });
}

function headingLine(headingPath: string[], maxTokens: number): string {
  if (headingPath.length === 0) return '';
  const line = `${headingPath.join(' > ')}\n`;
  return countTokens(line) <= maxTokens * MAX_HEADING_SHARE ? line : '';
}

function samePath(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((heading, i) => heading === b[i]);
}
