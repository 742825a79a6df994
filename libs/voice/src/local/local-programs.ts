import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The absolute path of `program` on PATH, or undefined when it is not installed. */
export function findProgram(program: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, program);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export const POCKETSPHINX_MODEL_DIR = '/usr/share/pocketsphinx/model/en-us';

export function pocketsphinxModelInstalled(): boolean {
  return existsSync(join(POCKETSPHINX_MODEL_DIR, 'en-us', 'mdef')) && existsSync(join(POCKETSPHINX_MODEL_DIR, 'cmudict-en-us.dict'));
}

export class ProgramFailed extends Error {
  constructor(
    readonly program: string,
    readonly stderr: string,
    readonly exitCode: number | null,
  ) {
    super(`${program} failed (exit ${exitCode}): ${stderr.slice(0, 300)}`);
  }
}

/**
 * Runs a program without a shell (arguments are never parsed by one), feeding `input` on
 * stdin and collecting stdout. The signal kills it (the caller left, or a deadline passed).
 */
export function runProgram(path: string, args: string[], options: { input?: Buffer | string; signal?: AbortSignal } = {}): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(path, args, { stdio: ['pipe', 'pipe', 'pipe'], signal: options.signal, killSignal: 'SIGKILL' });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      if (err.length < 4_000) err += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(Buffer.concat(out)) : reject(new ProgramFailed(path, err, code))));
    child.stdin.on('error', () => undefined); // a program that exits early closes its stdin
    child.stdin.end(options.input ?? '');
  });
}

/** At most `limit` local recognisers or synthesizers at once: each keeps a core busy. */
export class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active += 1;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active -= 1;
    }
  }
}

/** Resamples mono PCM16 with sox (a proper low-pass, unlike a naive interpolation). */
export async function resamplePcm(sox: string, samples: Buffer, from: number, to: number, signal?: AbortSignal): Promise<Buffer> {
  if (from === to) return samples;
  const raw = ['-t', 'raw', '-e', 'signed-integer', '-b', '16', '-c', '1', '-L'];
  return runProgram(sox, [...raw, '-r', String(from), '-', ...raw, '-r', String(to), '-'], { input: samples, signal });
}
