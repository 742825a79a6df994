// Runs inside a worker thread with its own heap limit: loads the parsers and the tokenizer once,
// then parses and chunks one document at a time for the parent (ParseSandbox), which decides
// when this thread is retired. Whatever a hostile file does here (huge allocations, endless
// loops), the parent terminates this thread without harm to the worker process, and the next
// document gets a fresh thread.
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { chunkDocument, countTokens } from '../chunking';
import { DocumentParseError, parseDocument } from '../parsing';
import type { HeapUse, SandboxReply, SandboxRequest, SandboxThreadMessage, SandboxThreadOptions } from './sandbox-messages';

async function run(request: SandboxRequest): Promise<SandboxReply> {
  try {
    const parsed = await parseDocument(Buffer.from(request.bytes), request.type);
    return { ok: true, chunks: chunkDocument(parsed) };
  } catch (error) {
    if (error instanceof DocumentParseError) return { ok: false, kind: 'document', code: error.code, message: error.message };
    return { ok: false, kind: 'unexpected', message: error instanceof Error ? error.message : String(error) };
  }
}

function heap(): HeapUse {
  const stats = getHeapStatistics();
  return { usedBytes: stats.used_heap_size, limitBytes: stats.heap_size_limit };
}

/**
 * A one-page PDF saying "Warm up", written by hand (pdf.js reads it as is). Parsing it loads
 * pdf.js, which unpdf imports lazily on first use, and runs its first-document paths once.
 */
function warmUpPdf(): Buffer {
  const text = 'BT /F1 12 Tf 20 50 Td (Warm up) Tj ET';
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    `<< /Length ${text.length} >>\nstream\n${text}\nendstream`,
  ];
  let pdf = '%PDF-1.4\n';
  const offsets = objects.map((object, i) => {
    const offset = pdf.length;
    pdf += `${i + 1} 0 obj\n${object}\nendobj\n`;
    return offset;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}

async function warmUp(options: SandboxThreadOptions): Promise<void> {
  // The parsers and gpt-tokenizer are loaded by this module's imports; the first count builds
  // whatever the tokenizer builds lazily.
  countTokens('warm up the tokenizer');
  if (!options.warmUpParsers) return;
  try {
    chunkDocument(await parseDocument(warmUpPdf(), 'pdf'));
  } catch {
    // A warm-up that does not work only means the first real PDF pays for loading pdf.js.
  }
}

const port = parentPort;
if (!port) throw new Error('parse.worker must run in a worker thread');

void warmUp(workerData as SandboxThreadOptions).then(() => {
  // Documents posted while warming up wait in the port's queue until this listener is attached.
  port.on('message', (request: SandboxRequest) => {
    void run(request).then((reply) => port.postMessage({ event: 'done', id: request.id, reply, heap: heap() } satisfies SandboxThreadMessage));
  });
  port.postMessage({ event: 'ready', heap: heap() } satisfies SandboxThreadMessage);
});
