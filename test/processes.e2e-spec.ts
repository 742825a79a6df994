import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { TestContext } from './support/test-context';
import { waitFor } from './support/wait-for';

/**
 * The built processes, as `npm start` and Kubernetes run them: configuration refusal,
 * migrations, start-up and SIGTERM. `npm test` builds dist/ first.
 */
const ROOT = join(__dirname, '..');
const ENTRY = {
  api: join(ROOT, 'dist/apps/api/apps/api/src/main.js'),
  worker: join(ROOT, 'dist/apps/worker/apps/worker/src/main.js'),
  migrate: join(ROOT, 'dist/apps/migrate/apps/migrate/src/main.js'),
};

interface Run {
  child: ChildProcess;
  output: () => string;
}

function start(entry: string, env: Record<string, string>): Run {
  const child = spawn(process.execPath, [entry], { env: { PATH: process.env.PATH ?? '', ...env }, cwd: ROOT });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

async function exitOf(run: Run): Promise<number | null> {
  if (run.child.exitCode !== null) return run.child.exitCode;
  const [code] = await once(run.child, 'exit');
  return code as number | null;
}

describe('built processes', () => {
  let ctx: TestContext;

  beforeAll(async () => {
    if (!existsSync(ENTRY.api)) throw new Error('dist/ is missing: run `npm run build` (npm test does it) before this suite');
    ctx = await TestContext.create();
  });

  afterAll(async () => {
    await ctx?.dispose();
  });

  const env = (extra: Record<string, string> = {}) => ({
    DATABASE_URL: ctx.config().database.url,
    REDIS_URL: ctx.config().redis.url,
    REDIS_KEY_PREFIX: ctx.redisPrefix,
    PORT: '0',
    WORKER_PORT: '0',
    LOG_LEVEL: 'info',
    ...extra,
  });

  it.each(['api', 'worker', 'migrate'] as const)('%s refuses to start on a bad variable and names it', async (name) => {
    const run = start(ENTRY[name], env({ DATABASE_POOL_SIZE: 'lots', REDIS_URL: 'http://not-redis' }));
    expect(await exitOf(run)).toBe(1);
    expect(run.output()).toContain(`${name}: refusing to start`);
    expect(run.output()).toContain('DATABASE_POOL_SIZE: expected a whole number');
    expect(run.output()).toContain('REDIS_URL: expected a URL starting with redis:// or rediss://');
  });

  it('migrate reports an up-to-date schema on a migrated database, and exits 0', async () => {
    const run = start(ENTRY.migrate, env());
    expect(await exitOf(run)).toBe(0);
    expect(run.output()).toContain('schema is up to date');
  });

  it.each(['api', 'worker'] as const)('%s starts, logs JSON, and exits 0 on SIGTERM within the grace period', async (name) => {
    const run = start(ENTRY[name], env({ SHUTDOWN_GRACE_MS: '5000' }));
    await waitFor(`${name} to start`, () => run.output().includes('Nest application successfully started'), 20_000);
    const firstLine = run.output().split('\n')[0];
    expect(() => JSON.parse(firstLine)).not.toThrow();

    const stoppedAt = Date.now();
    run.child.kill('SIGTERM');
    expect(await exitOf(run)).toBe(0);
    expect(Date.now() - stoppedAt).toBeLessThan(5_000);
    expect(run.output()).toContain('SIGTERM received: draining');
    expect(run.output()).toContain('shutdown complete');
  });
});
