// Runs inside a worker thread with its own heap limit: parses and chunks one document and
// posts the result back. Whatever a hostile file does here (huge allocations, endless loops),
// the parent can terminate this thread without harm to the worker process.
import { parentPort, workerData } from 'node:worker_threads';
import { chunkDocument } from '../chunking';
import { DocumentParseError, parseDocument } from '../parsing';
import type { SandboxReply, SandboxRequest } from './sandbox-messages';

async function run(request: SandboxRequest): Promise<SandboxReply> {
  try {
    const parsed = await parseDocument(Buffer.from(request.bytes), request.type);
    return { ok: true, chunks: chunkDocument(parsed) };
  } catch (error) {
    if (error instanceof DocumentParseError) return { ok: false, kind: 'document', code: error.code, message: error.message };
    return { ok: false, kind: 'unexpected', message: error instanceof Error ? error.message : String(error) };
  }
}

void run(workerData as SandboxRequest).then((reply) => parentPort?.postMessage(reply));
