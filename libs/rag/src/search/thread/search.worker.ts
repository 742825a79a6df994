import { parentPort } from 'node:worker_threads';
import { exactNearest } from '../../vector-store/exact-nearest';
import { rankBm25 } from '../lexical/bm25';
import { DocumentTerms } from '../lexical/document-terms';
import { informativeness } from '../lexical/english-rarity';
import { queryExpansions } from '../lexical/query-expansions';
import { synonymsOf } from '../lexical/synonyms';
import { neighboursOf } from '../lexical/word-neighbours';
import type { NearestMatch, SearchThreadReply, SearchThreadRequest, TermsRef, VectorsRef } from './search-thread-messages';

/**
 * The search thread: BM25 scoring and the exact vector scan, off the api's event loop. It holds
 * views of the main thread's shared memory by handle (no copies) and nothing else; what is
 * live is decided by the main thread, which tells it what to forget.
 */
const terms = new Map<number, DocumentTerms>();
const vectors = new Map<number, { dimensions: number; matrix: Float32Array }>();

function termsOf(ref: TermsRef): DocumentTerms {
  if (ref.bytes) {
    const opened = DocumentTerms.open(ref.generation, ref.bytes);
    if (ref.handle !== 0) terms.set(ref.handle, opened);
    return opened;
  }
  const held = terms.get(ref.handle);
  if (!held) throw new Error(`postings ${ref.handle} are not held by the search thread`);
  return held;
}

function vectorsOf(ref: VectorsRef): { dimensions: number; matrix: Float32Array } {
  if (ref.matrix) {
    const held = { dimensions: ref.dimensions, matrix: ref.matrix };
    if (ref.handle !== 0) vectors.set(ref.handle, held);
    return held;
  }
  const held = vectors.get(ref.handle);
  if (!held) throw new Error(`vectors ${ref.handle} are not held by the search thread`);
  return held;
}

/** The k best rows over all documents; equal scores keep document then row order, as one scan would. */
function nearest(documents: VectorsRef[], query: Float32Array, topK: number): NearestMatch[] {
  const all: NearestMatch[] = [];
  documents.forEach((ref, document) => {
    const { dimensions, matrix } = vectorsOf(ref);
    for (const { row, score } of exactNearest(matrix, dimensions, query, topK)) all.push({ document, row, score });
  });
  return all.sort((a, b) => b.score - a.score).slice(0, topK);
}

function answer(request: Exclude<SearchThreadRequest, { kind: 'forget' }>): SearchThreadReply {
  if (request.kind === 'ping') return { id: request.id, matches: [] };
  if (request.kind === 'bm25') {
    return { id: request.id, matches: rankBm25(request.documents.map(termsOf), request.terms, request.topK, queryExpansions(request.terms)) };
  }
  return { id: request.id, nearest: nearest(request.documents, request.query, request.topK) };
}

// The English word frequencies (~1 s to load), the synonym map (~0.1 s) and the neighbour map
// (~30 ms) before the first search rather than during it; messages that arrive meanwhile wait in
// the port.
informativeness('');
synonymsOf('');
neighboursOf('');

parentPort!.on('message', (request: SearchThreadRequest) => {
  if (request.kind === 'forget') {
    for (const handle of request.handles) {
      terms.delete(handle);
      vectors.delete(handle);
    }
    return;
  }
  let reply: SearchThreadReply;
  try {
    reply = answer(request);
  } catch (error) {
    reply = { id: request.id, error: (error as Error).message };
  }
  parentPort!.postMessage(reply);
});
