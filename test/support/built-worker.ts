import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from './test-context';

const ROOT = join(__dirname, '../..');
export const BUILT_WORKER_ENTRY = join(ROOT, 'dist/apps/worker/apps/worker/src/main.js');

/** The built worker (dist/) running as its own process, so a test can kill -9 it. */
export interface BuiltWorker {
  child: ChildProcess;
  output: () => string;
  /** Resolves once the process has exited (for any reason). */
  exited: () => Promise<void>;
}

/**
 * Starts dist's worker on the suite's database and Redis prefix. `npm test` builds dist/
 * first; when it is missing this throws with what to do, rather than timing out later.
 */
export function startBuiltWorker(ctx: TestContext, env: Record<string, string>): BuiltWorker {
  if (!existsSync(BUILT_WORKER_ENTRY)) throw new Error('dist/ is missing: run `npm run build` (npm test does it) before this suite');
  const config = ctx.config();
  const child = spawn(process.execPath, [BUILT_WORKER_ENTRY], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      DATABASE_URL: config.database.url,
      REDIS_URL: config.redis.url,
      REDIS_KEY_PREFIX: ctx.redisPrefix,
      WORKER_PORT: '0',
      // info, so the test can see the worker is up (and read its log when it fails).
      LOG_LEVEL: 'info',
      ...env,
    },
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : once(child, 'exit').then(() => undefined);
  return { child, output: () => output, exited: () => exit };
}

/** Kills a worker the test left running (a failed test), so Jest can exit. */
export async function stopBuiltWorker(worker: BuiltWorker | undefined): Promise<void> {
  if (!worker || worker.child.exitCode !== null || worker.child.signalCode !== null) return;
  worker.child.kill('SIGKILL');
  await worker.exited();
}
