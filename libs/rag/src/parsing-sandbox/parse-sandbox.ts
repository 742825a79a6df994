import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@showroom/core';
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { DocumentChunk } from '../chunking';
import { DocumentParseError, type DocumentType } from '../parsing';
import type { HeapUse, SandboxReply, SandboxRequest, SandboxThreadMessage, SandboxThreadOptions } from './sandbox-messages';

/**
 * Built code runs the compiled parse.worker.js; the test suite runs from TypeScript sources,
 * where the thread needs tsx to load parse.worker.ts. Not an environment switch: it follows
 * what this file itself was loaded as.
 */
const FROM_SOURCES = extname(__filename) === '.ts';
const WORKER_ENTRY = join(__dirname, `parse.worker${FROM_SOURCES ? '.ts' : '.js'}`);
const WORKER_EXEC_ARGV = FROM_SOURCES ? ['--require', 'tsx/cjs'] : [];

/** A thread is retired after this many documents, however well they went (bounds any slow leak). */
export const MAX_DOCUMENTS_PER_THREAD = 200;
/** …or as soon as its heap, measured right after a document, is over this share of its limit. */
export const HEAP_RECYCLE_SHARE = 0.5;
/** A thread nobody used for this long is stopped, giving its memory (~70 MB warm) back. */
export const IDLE_THREAD_MS = 5 * 60_000;
/**
 * Opening a PDF to warm pdf.js up needs a few MB over the ~35 MB the loaded parsers take; below
 * this heap limit a thread only loads the modules, so the warm-up cannot be what runs out.
 */
const MIN_MEMORY_MB_FOR_PARSER_WARM_UP = 128;

type ThreadState = 'starting' | 'idle' | 'busy';

interface Waiting {
  bytes: Uint8Array;
  type: DocumentType;
  resolve: (chunks: DocumentChunk[]) => void;
  reject: (error: Error) => void;
}

interface Running extends Waiting {
  id: number;
  deadline: NodeJS.Timeout;
}

interface SandboxThread {
  worker: Worker;
  threadId: number;
  state: ThreadState;
  documents: number;
  retired: boolean;
  current?: Running;
  idleTimer?: NodeJS.Timeout;
}

/** What the pool looks like right now (for tests, logs and the bench). */
export interface ParseSandboxStats {
  poolSize: number;
  threadsStarted: number;
  waiting: number;
  threads: { threadId: number; state: ThreadState; documents: number }[];
}

/**
 * Parses and chunks documents in worker threads with a heap limit and a deadline, so a hostile
 * or broken file fails its document (with a reason a person understands) and leaves the worker
 * process, its event loop and its other jobs alone.
 *
 * The threads are a small pool (WORKER_CONCURRENCY, the most ingestion jobs this process runs
 * at once) of warm threads: each loads the parsers and the tokenizer once (~0.3-1 s) and then
 * parses document after document, one at a time. Isolation is kept where it matters: a thread
 * is terminated, and a fresh one started and warmed in the background, after any document that
 * did not parse (a file error, an unexpected error, a timeout, running out of heap, a crash),
 * after MAX_DOCUMENTS_PER_THREAD documents, and when its heap after a document is over
 * HEAP_RECYCLE_SHARE of the limit. So a hostile file still costs only its own thread, and a
 * document never runs in a thread that a failed document ran in. Documents that parsed fine do
 * share a thread; the parsers keep no per-document state between calls, and anything a
 * document left behind is garbage, bounded by the heap check.
 *
 * Why a hand-written pool rather than piscina (or tinypool): the policy here is *when a thread
 * dies*, which those libraries decide for you. piscina does terminate a thread whose running
 * task is aborted (so a timeout could be an AbortSignal), but it keeps a thread after a task
 * that rejected (a corrupt PDF would leave its pdf.js state for the next document), has no
 * "retire after N tasks" or "retire when the heap is near its limit", and we would still map
 * its abort and out-of-memory errors to DocumentParseError. tinypool can recycle on memory or
 * after every task, but not "after a failure". Either would also be a new dependency (a change
 * to package.json) in exchange for ~150 lines whose every branch is tested in
 * parse-sandbox.spec.ts.
 *
 * Threads start on demand (the api process also has this provider and never parses), unref'd
 * while idle so they never keep a process alive, and are terminated at application shutdown.
 */
@Injectable()
export class ParseSandbox implements OnApplicationShutdown {
  private readonly logger = new Logger(ParseSandbox.name);
  private readonly poolSize: number;
  private readonly threads = new Set<SandboxThread>();
  private readonly waiting: Waiting[] = [];
  private threadsStarted = 0;
  private nextRequestId = 1;
  private closed = false;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    // Callers that build only the knowledge part of the config (the ingestion bench) get one thread.
    this.poolSize = Math.max(1, config.worker?.concurrency ?? 1);
  }

  parse(bytes: Buffer, type: DocumentType): Promise<DocumentChunk[]> {
    if (this.closed) return Promise.reject(shutDown());
    return new Promise<DocumentChunk[]>((resolve, reject) => {
      this.waiting.push({ bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), type, resolve, reject });
      this.dispatch();
    });
  }

  /**
   * Starts threads up to the pool size ahead of demand and resolves once each is warm (or has
   * died trying), so that even the first documents find warm threads. For a process that knows
   * it will parse (a worker serving the ingestion queue); parse() works without it.
   */
  async warmUp(): Promise<void> {
    const started: Promise<void>[] = [];
    while (!this.closed && this.threads.size < this.poolSize) {
      const thread = this.startThread(true);
      started.push(new Promise<void>((resolve) => thread.worker.once('message', () => resolve()).once('exit', () => resolve())));
    }
    await Promise.all(started);
  }

  stats(): ParseSandboxStats {
    return {
      poolSize: this.poolSize,
      threadsStarted: this.threadsStarted,
      waiting: this.waiting.length,
      threads: [...this.threads].map(({ threadId, state, documents }) => ({ threadId, state, documents })),
    };
  }

  /**
   * Terminates every thread; documents still waiting or parsing fail with a plain Error, which
   * the ingest job treats as retryable. On application shutdown rather than module destroy:
   * Nest runs onModuleDestroy before beforeApplicationShutdown, where the queue workers let
   * active jobs finish, and those jobs still need their parse threads.
   */
  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    for (const waiting of this.waiting.splice(0)) waiting.reject(shutDown());
    await Promise.all([...this.threads].map((thread) => this.retire(thread, shutDown(), false)));
  }

  /** Hands waiting documents to idle threads, then to warming ones, then to new ones up to the pool size. */
  private dispatch(): void {
    while (this.waiting.length > 0) {
      const thread = this.find('idle') ?? this.find('starting') ?? (this.threads.size < this.poolSize ? this.startThread(false) : undefined);
      if (!thread) return;
      this.run(thread, this.waiting.shift() as Waiting);
    }
  }

  private find(state: ThreadState): SandboxThread | undefined {
    for (const thread of this.threads) if (thread.state === state) return thread;
    return undefined;
  }

  /** A new thread; `ahead` when no document is waiting for it, so it also warms the parsers up. */
  private startThread(ahead: boolean): SandboxThread {
    const { parseMaxMemoryMb } = this.config.knowledge;
    const options: SandboxThreadOptions = { warmUpParsers: ahead && parseMaxMemoryMb >= MIN_MEMORY_MB_FOR_PARSER_WARM_UP };
    const worker = new Worker(WORKER_ENTRY, {
      workerData: options,
      execArgv: WORKER_EXEC_ARGV,
      resourceLimits: { maxOldGenerationSizeMb: parseMaxMemoryMb, maxYoungGenerationSizeMb: Math.min(64, parseMaxMemoryMb / 4) },
    });
    const thread: SandboxThread = { worker, threadId: worker.threadId, state: 'starting', documents: 0, retired: false };
    worker.unref();
    worker.on('message', (message: SandboxThreadMessage) => this.onMessage(thread, message));
    worker.on('error', (error: Error & { code?: string }) =>
      this.onDeath(
        thread,
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new DocumentParseError('PARSE_OUT_OF_MEMORY', 'This document needs more memory to read than is allowed; split it into smaller files.')
          : error,
      ),
    );
    worker.on('exit', (code) => this.onDeath(thread, new Error(`document parser stopped with exit code ${code}`)));
    this.threads.add(thread);
    this.threadsStarted += 1;
    return thread;
  }

  private run(thread: SandboxThread, document: Waiting): void {
    clearTimeout(thread.idleTimer);
    thread.state = 'busy';
    thread.worker.ref();
    const id = this.nextRequestId++;
    thread.current = { ...document, id, deadline: this.deadline(thread) };
    // A thread still starting queues the document until it has loaded the parsers.
    thread.worker.postMessage({ id, bytes: document.bytes, type: document.type } satisfies SandboxRequest);
  }

  /**
   * The document's deadline counts from when it is handed to a thread, as it did when every
   * document had a thread of its own: on a thread still starting it includes the rest of that
   * start (well under a second against the default 120 s), so a start that hangs fails it too.
   * Time spent waiting for a free thread does not count.
   */
  private deadline(thread: SandboxThread): NodeJS.Timeout {
    const { parseTimeoutMs } = this.config.knowledge;
    const timedOut = () =>
      new DocumentParseError('PARSE_TIMEOUT', `Reading this document took longer than ${Math.round(parseTimeoutMs / 1000)} s; split it into smaller files and upload those.`);
    return setTimeout(() => void this.retire(thread, timedOut(), true), parseTimeoutMs);
  }

  private onMessage(thread: SandboxThread, message: SandboxThreadMessage): void {
    if (thread.retired) return;
    if (message.event === 'ready') {
      // A thread that got a document while starting is already busy with it.
      if (!thread.current) this.becomeIdle(thread);
      return;
    }
    const current = thread.current;
    if (!current || current.id !== message.id) return;
    clearTimeout(current.deadline);
    thread.current = undefined;
    thread.documents += 1;
    settle(current, message.reply);
    const reason = recycleReason(thread, message.reply, message.heap);
    if (reason) {
      this.logger.debug(`parse thread ${thread.threadId} retired after ${thread.documents} documents: ${reason}`);
      void this.retire(thread, undefined, true);
    } else {
      this.becomeIdle(thread);
    }
  }

  /** The thread died on its own: out of memory, a crash, or an exit nobody asked for. */
  private onDeath(thread: SandboxThread, error: Error): void {
    if (thread.retired) return;
    // A thread that dies warming up with no document is not replaced (that could loop); the
    // next document starts one on demand and meets whatever the problem is itself.
    if (!thread.current) this.logger.warn(`parse thread ${thread.threadId} stopped while ${thread.state}: ${error.message}`);
    void this.retire(thread, error, thread.current !== undefined);
  }

  private becomeIdle(thread: SandboxThread): void {
    thread.state = 'idle';
    thread.worker.unref();
    thread.idleTimer = setTimeout(() => void this.retire(thread, undefined, false), IDLE_THREAD_MS).unref();
    this.dispatch();
  }

  /**
   * Terminates a thread (failing its document, if any, with `error`) and, when `replace`, starts
   * a fresh thread that warms up in the background so the next document does not wait for it.
   */
  private async retire(thread: SandboxThread, error: Error | undefined, replace: boolean): Promise<void> {
    if (thread.retired) return;
    thread.retired = true;
    this.threads.delete(thread);
    clearTimeout(thread.idleTimer);
    const current = thread.current;
    thread.current = undefined;
    if (current) {
      clearTimeout(current.deadline);
      current.reject(error ?? new Error('document parser was stopped'));
    }
    // Warm the parsers only if no document is waiting (one that is would go to this thread).
    if (replace && !this.closed && this.threads.size < this.poolSize) this.startThread(this.waiting.length === 0);
    this.dispatch();
    await thread.worker.terminate();
  }
}

function settle(document: Running, reply: SandboxReply): void {
  if (reply.ok) document.resolve(reply.chunks);
  else if (reply.kind === 'document') document.reject(new DocumentParseError(reply.code as DocumentParseError['code'], reply.message));
  else document.reject(new Error(`document parser failed: ${reply.message}`));
}

/** Why a thread that just answered must not take another document, or undefined if it may. */
function recycleReason(thread: SandboxThread, reply: SandboxReply, heap: HeapUse): string | undefined {
  if (!reply.ok) return `its document failed (${reply.kind === 'document' ? reply.code : 'unexpected error'})`;
  if (thread.documents >= MAX_DOCUMENTS_PER_THREAD) return 'document limit reached';
  if (heap.usedBytes > heap.limitBytes * HEAP_RECYCLE_SHARE) {
    return `heap at ${Math.round(heap.usedBytes / 2 ** 20)} of ${Math.round(heap.limitBytes / 2 ** 20)} MB`;
  }
  return undefined;
}

function shutDown(): Error {
  return new Error('the parse sandbox is shut down');
}
