import type { DocumentChunk } from '../chunking';
import type { DocumentType } from '../parsing';

export interface SandboxRequest {
  bytes: Uint8Array;
  type: DocumentType;
}

export type SandboxReply =
  | { ok: true; chunks: DocumentChunk[] }
  /** A DocumentParseError: the file's fault, with a reason for people. */
  | { ok: false; kind: 'document'; code: string; message: string }
  /** Anything else: ours, retried by the job. */
  | { ok: false; kind: 'unexpected'; message: string };
