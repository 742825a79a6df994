import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@showroom/core';
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { DocumentChunk } from '../chunking';
import { DocumentParseError, type DocumentType } from '../parsing';
import type { SandboxReply, SandboxRequest } from './sandbox-messages';

/**
 * Built code runs the compiled parse.worker.js; the test suite runs from TypeScript sources,
 * where the thread needs tsx to load parse.worker.ts. Not an environment switch: it follows
 * what this file itself was loaded as.
 */
const FROM_SOURCES = extname(__filename) === '.ts';
const WORKER_ENTRY = join(__dirname, `parse.worker${FROM_SOURCES ? '.ts' : '.js'}`);
const WORKER_EXEC_ARGV = FROM_SOURCES ? ['--require', 'tsx/cjs'] : [];

/**
 * Parses and chunks a document in a worker thread with a heap limit and a deadline, so a
 * hostile or broken file fails its document (with a reason a person understands) and leaves
 * the worker process, its event loop and its other jobs alone.
 */
@Injectable()
export class ParseSandbox {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  parse(bytes: Buffer, type: DocumentType): Promise<DocumentChunk[]> {
    const { parseTimeoutMs, parseMaxMemoryMb } = this.config.knowledge;
    const request: SandboxRequest = { bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), type };
    return new Promise<DocumentChunk[]>((resolve, reject) => {
      const worker = new Worker(WORKER_ENTRY, {
        workerData: request,
        execArgv: WORKER_EXEC_ARGV,
        resourceLimits: { maxOldGenerationSizeMb: parseMaxMemoryMb, maxYoungGenerationSizeMb: Math.min(64, parseMaxMemoryMb / 4) },
      });
      let settled = false;
      const finish = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        void worker.terminate();
        outcome();
      };
      const deadline = setTimeout(
        () =>
          finish(() =>
            reject(new DocumentParseError('PARSE_TIMEOUT', `Reading this document took longer than ${Math.round(parseTimeoutMs / 1000)} s; split it into smaller files and upload those.`)),
          ),
        parseTimeoutMs,
      );
      worker.once('message', (reply: SandboxReply) =>
        finish(() => {
          if (reply.ok) resolve(reply.chunks);
          else if (reply.kind === 'document') reject(new DocumentParseError(reply.code as DocumentParseError['code'], reply.message));
          else reject(new Error(`document parser failed: ${reply.message}`));
        }),
      );
      worker.once('error', (error: Error & { code?: string }) =>
        finish(() =>
          reject(
            error.code === 'ERR_WORKER_OUT_OF_MEMORY'
              ? new DocumentParseError('PARSE_OUT_OF_MEMORY', 'This document needs more memory to read than is allowed; split it into smaller files.')
              : error,
          ),
        ),
      );
      worker.once('exit', (code) => finish(() => reject(new Error(`document parser stopped with exit code ${code}`))));
    });
  }
}
