import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { renderCsv } from './csv-renderer';
import { renderDocx } from './docx-renderer';
import type { FileDocument } from './file-document';
import type { FileFormat } from './file-formats';
import { renderPdf } from './pdf-renderer';
import type { RenderOptions } from './render-options';

/** The rendered file came out larger than allowed; a person can narrow what they asked for. */
export class FileTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`The file would be larger than ${maxBytes} bytes.`);
    this.name = 'FileTooLargeError';
  }
}

export interface RenderedFile {
  path: string;
  sizeBytes: number;
  /** Removes the temporary file; safe to call more than once. */
  dispose(): Promise<void>;
}

const RENDERERS: Record<FileFormat, (doc: FileDocument, out: PassThrough, options: RenderOptions) => Promise<void>> = {
  pdf: renderPdf,
  docx: renderDocx,
  csv: renderCsv,
};

/**
 * Renders into a temporary file (never whole in memory), counting bytes as they are written
 * and stopping with FileTooLargeError once `maxBytes` is passed. The caller uploads the file
 * as a stream and disposes of it.
 */
export async function renderToTempFile(doc: FileDocument, format: FileFormat, options: RenderOptions & { maxBytes: number }): Promise<RenderedFile> {
  const dir = await mkdtemp(join(tmpdir(), 'showroom-render-'));
  const path = join(dir, `file.${format}`);
  const dispose = () => rm(dir, { recursive: true, force: true });
  let written = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      written += chunk.length;
      callback(written > options.maxBytes ? new FileTooLargeError(options.maxBytes) : null, chunk);
    },
  });
  const out = new PassThrough();
  try {
    await Promise.all([RENDERERS[format](doc, out, options), pipeline(out, limit, createWriteStream(path))]);
    return { path, sizeBytes: (await stat(path)).size, dispose };
  } catch (error) {
    out.destroy();
    await dispose();
    throw error;
  }
}
