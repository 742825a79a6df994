import type { DocumentChunk } from '../chunking';
import type { DocumentType } from '../parsing';

/** `workerData` of a parse thread. */
export interface SandboxThreadOptions {
  /**
   * Whether to exercise the parsers (open a tiny built-in PDF, which loads pdf.js) before taking
   * documents. The modules and the tokenizer are loaded either way; this is for threads started
   * ahead of demand, not for one a document is already waiting on.
   */
  warmUpParsers: boolean;
}

/** Parent → thread: one document. A thread gets the next one only after answering this one. */
export interface SandboxRequest {
  id: number;
  bytes: Uint8Array;
  type: DocumentType;
}

export type SandboxReply =
  | { ok: true; chunks: DocumentChunk[] }
  /** A DocumentParseError: the file's fault, with a reason for people. */
  | { ok: false; kind: 'document'; code: string; message: string }
  /** Anything else: ours, retried by the job. */
  | { ok: false; kind: 'unexpected'; message: string };

/** The thread's V8 heap, so the parent can retire a thread before its heap gets near the limit. */
export interface HeapUse {
  usedBytes: number;
  limitBytes: number;
}

/** Thread → parent. */
export type SandboxThreadMessage =
  /** Modules loaded (and parsers warmed if asked): ready for documents. */
  | { event: 'ready'; heap: HeapUse }
  /** The answer to request `id`. */
  | { event: 'done'; id: number; reply: SandboxReply; heap: HeapUse };
