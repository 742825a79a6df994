import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { DocumentVectors } from '../../vector-store/document-vectors';
import type { VectorMatch } from '../../vector-store/vector-store.port';
import type { LexicalMatch } from '../lexical/bm25';
import type { DocumentTerms } from '../lexical/document-terms';
import type { SearchThreadReply, SearchThreadRequest, TermsRef, VectorsRef } from './search-thread-messages';

/** Built code runs the compiled search.worker.js; tests run from sources, where the thread needs tsx (as the parse sandbox does). */
const FROM_SOURCES = extname(__filename) === '.ts';
const WORKER_ENTRY = join(__dirname, `search.worker${FROM_SOURCES ? '.ts' : '.js'}`);
const WORKER_EXEC_ARGV = FROM_SOURCES ? ['--require', 'tsx/cjs'] : [];

type Request = SearchThreadRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

interface Pending {
  resolve: (reply: SearchThreadReply) => void;
  reject: (error: Error) => void;
}

/**
 * Runs BM25 scoring and the exact vector scan on one worker thread, so a search's CPU work
 * (milliseconds at 100k chunks) never holds up the api's event loop: other requests, streams
 * and probes go on meanwhile. The caches stay on the main thread (they talk to Postgres); their
 * entries live in SharedArrayBuffers, handed to the thread once and named by handle afterwards,
 * and dropped from the thread when the cache drops them (`forget`). One thread, started on the
 * first search (the worker process never starts it): a search takes milliseconds, so queued
 * searches wait little, and the machine's other core is left to the api itself. If the thread
 * dies, the searches it held fail and the next search starts a new one.
 */
@Injectable()
export class SearchThread implements OnApplicationShutdown {
  private readonly logger = new Logger(SearchThread.name);
  private worker?: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextRequest = 1;
  private nextHandle = 1;
  /** Entries the current thread holds, by handle. A new thread starts with none. */
  private held = new WeakMap<object, number>();
  /** Entries a cache has dropped: sent for one request if still asked for, never kept again. */
  private readonly dropped = new WeakSet<object>();

  async rankBm25(documents: DocumentTerms[], terms: string[], topK: number): Promise<LexicalMatch[]> {
    const refs = documents.map((doc): TermsRef => {
      const { handle, send } = this.handleOf(doc);
      return send ? { handle, generation: doc.generation, bytes: doc.bytes } : { handle, generation: doc.generation };
    });
    const reply = await this.call({ kind: 'bm25', documents: refs, terms, topK });
    return 'matches' in reply ? reply.matches : [];
  }

  async nearest(documents: DocumentVectors[], query: Float32Array, topK: number): Promise<VectorMatch[]> {
    const refs = documents.map((doc): VectorsRef => {
      const { handle, send } = this.handleOf(doc);
      return send ? { handle, dimensions: doc.dimensions, matrix: doc.matrix } : { handle, dimensions: doc.dimensions };
    });
    const reply = await this.call({ kind: 'nearest', documents: refs, query, topK });
    return 'nearest' in reply ? reply.nearest.map(({ document, row, score }) => ({ id: documents[document].ids[row], score })) : [];
  }

  /** The cache no longer holds this entry: the thread lets go of its memory too. */
  forget(entry: object): void {
    this.dropped.add(entry);
    const handle = this.held.get(entry);
    if (handle === undefined) return;
    this.held.delete(entry);
    this.worker?.postMessage({ kind: 'forget', handles: [handle] } satisfies SearchThreadRequest);
  }

  /** Starts the thread ahead of the first search; settles once it has loaded what BM25's coverage needs. */
  async start(): Promise<void> {
    await this.call({ kind: 'ping' });
  }

  async onApplicationShutdown(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    for (const waiting of this.pending.values()) waiting.reject(new Error('the application is shutting down'));
    this.pending.clear();
    await worker?.terminate();
  }

  private handleOf(entry: object): { handle: number; send: boolean } {
    if (this.dropped.has(entry)) return { handle: 0, send: true };
    const handle = this.held.get(entry);
    if (handle !== undefined) return { handle, send: false };
    const fresh = this.nextHandle++;
    this.held.set(entry, fresh);
    return { handle: fresh, send: true };
  }

  private call(request: Request): Promise<SearchThreadReply> {
    const worker = this.thread();
    const id = this.nextRequest++;
    // A waiting search keeps the process alive; an idle thread does not.
    if (this.pending.size === 0) worker.ref();
    return new Promise<SearchThreadReply>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ ...request, id } as SearchThreadRequest);
    }).then((reply) => {
      if ('error' in reply) throw new Error(`search thread: ${reply.error}`);
      return reply;
    });
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER_ENTRY, { execArgv: WORKER_EXEC_ARGV });
    // Idle, it must not keep a process alive; `call` holds a reference while searches wait.
    worker.unref();
    worker.on('message', (reply: SearchThreadReply) => {
      const waiting = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      waiting?.resolve(reply);
    });
    worker.on('error', (error) => this.lost(worker, error));
    worker.on('exit', (code) => this.lost(worker, new Error(`search thread exited with code ${code}`)));
    this.worker = worker;
    return worker;
  }

  private lost(worker: Worker, error: Error): void {
    if (this.worker !== worker) return;
    this.logger.error(`search thread lost: ${error.message}`);
    this.worker = undefined;
    this.held = new WeakMap();
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }
}
