import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from './test-context';
import { waitFor } from './wait-for';

const ROOT = join(__dirname, '../..');
const BUILT_ENTRIES = {
  api: join(ROOT, 'dist/apps/api/apps/api/src/main.js'),
  worker: join(ROOT, 'dist/apps/worker/apps/worker/src/main.js'),
};

/** A built app (dist/) running as its own process: a pod a test can kill -9, or a second api pod. */
export interface BuiltApp {
  child: ChildProcess;
  output: () => string;
  /** Resolves once the process has exited (for any reason). */
  exited: () => Promise<void>;
}

/**
 * Starts dist's api or worker on the suite's database and Redis prefix, with `env` on top.
 * `npm test` builds dist/ first; when it is missing this throws with what to do, rather than
 * timing out later.
 */
export function startBuiltApp(ctx: TestContext, app: keyof typeof BUILT_ENTRIES, env: Record<string, string>): BuiltApp {
  const entry = BUILT_ENTRIES[app];
  if (!existsSync(entry)) throw new Error('dist/ is missing: run `npm run build` (npm test does it) before this suite');
  const config = ctx.config();
  const child = spawn(process.execPath, [entry], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      DATABASE_URL: config.database.url,
      REDIS_URL: config.redis.url,
      REDIS_KEY_PREFIX: ctx.redisPrefix,
      ...env,
    },
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : once(child, 'exit').then(() => undefined);
  return { child, output: () => output, exited: () => exit };
}

/** The built worker; logs at info, so the test can see it is up (and read its log when it fails). */
export function startBuiltWorker(ctx: TestContext, env: Record<string, string>): BuiltApp {
  return startBuiltApp(ctx, 'worker', { WORKER_PORT: '0', LOG_LEVEL: 'info', ...env });
}

/** Kills a built app the test left running (a failed test), so Jest can exit. */
export async function stopBuiltApp(app: BuiltApp | undefined): Promise<void> {
  if (!app || app.child.exitCode !== null || app.child.signalCode !== null) return;
  app.child.kill('SIGKILL');
  await app.exited();
}

/**
 * Waits until a built app logs that Nest has started. Loading its module graph takes ~5 s on
 * a quiet machine and three times that while Jest's other workers load the same machine (CI:
 * 15 s was once not enough), so the wait is generous; it is a liveness wait, not a timing claim.
 */
export async function untilStarted(app: BuiltApp, timeoutMs = 45_000): Promise<void> {
  await waitFor(`the built app to start`, () => app.output().includes('Nest application successfully started'), timeoutMs).catch(
    (error: Error) => {
      throw new Error(`${error.message}\n${app.output()}`);
    },
  );
}
