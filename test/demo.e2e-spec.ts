import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createApiApp } from '../apps/api/src/create-api-app';
import { createWorkerApp } from '../apps/worker/src/create-worker-app';
import { TestContext } from './support/test-context';

const SCRIPT = join(__dirname, '..', 'scripts', 'demo.mjs');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node scripts/demo.mjs` as `npm run demo` would, with the given environment. */
const runDemo = (env: Record<string, string>) =>
  // The developer's own DEMO_* settings must not change what the test expects.
  run(process.execPath, [SCRIPT], { DEMO_EMAIL: '', DEMO_PASSWORD: '', DEMO_READY_TIMEOUT_MS: '', ...env });

/** Runs a command line as a user's shell would after a copy and paste. */
const runCommand = (line: string) => run('sh', ['-c', line], {});

function run(command: string, args: string[], env: Record<string, string>, timeoutMs = 90_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A port nothing listens on (bound, read, released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * `npm run demo` end to end: the real script, in its own process, against a real api and
 * worker on Postgres and Redis, with the default local providers (extractive responder,
 * lexical embedder) and the default rate limits.
 */
describe('npm run demo', () => {
  let ctx: TestContext;
  let worker: INestApplication;
  let api: NestExpressApplication;
  let base: string;

  beforeAll(async () => {
    ctx = await TestContext.create();
    const config = ctx.config({ WORKER_QUEUES: 'ingestion,embeddings' });
    worker = await createWorkerApp(config);
    api = (await createApiApp(config)) as NestExpressApplication;
    await worker.init();
    await api.listen(0, '127.0.0.1');
    base = await api.getUrl();
  });

  afterAll(async () => {
    await Promise.all([api?.close(), worker?.close()]);
    await ctx?.dispose();
  });

  it('creates the demo dealership, uploads the sample knowledge, streams a cited answer and prints a working curl command; a second run works too', async () => {
    const first = await runDemo({ SHOWROOM_URL: base });
    expect({ code: first.code, stderr: first.stderr }).toEqual({ code: 0, stderr: '' });
    const out = first.stdout;
    expect(out).toContain('Created the demo dealership');
    expect(out).toMatch(/email\s+demo\.owner@harborpoint\.example/);
    expect(out).toMatch(/password\s+harbor-point-demo-drive/);
    expect(out).toMatch(/4 documents ready/);
    // The streamed answer, from the warranty document, with its citation marker and the citation.
    expect(out).toMatch(/A: .*5 years or 60,000 miles.*\[\d\]/);
    expect(out).toMatch(/Citations:\n {2}\[\d\] warranty\.md: ".+"/);
    const token = /access token .*\n {2}(\S+)/.exec(out)?.[1];
    expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const curl = out.slice(out.indexOf('curl -sSN'), out.indexOf('\n\n', out.indexOf('curl -sSN')));
    expect(curl).toContain(`${base}/api/v1/conversations/`);
    expect(curl).toContain(`-H 'Authorization: Bearer ${token}'`);
    expect(curl).toContain("-H 'Accept: text/event-stream'");
    expect(curl).toContain(`-d '{"content":"What does the powertrain warranty cover?"}'`);
    // The command works exactly as printed.
    const pasted = await runCommand(curl);
    expect(pasted.code).toBe(0);
    expect(pasted.stdout).toMatch(/^event: token\ndata: \{"delta":/m);
    expect(pasted.stdout).toMatch(/^event: citations\ndata: \{"citations":\[\{"documentId"/m);
    expect(pasted.stdout).toMatch(/^event: done\n/m);

    // Running it again signs in, reuses the uploaded documents and answers again.
    const second = await runDemo({ SHOWROOM_URL: base });
    expect({ code: second.code, stderr: second.stderr }).toEqual({ code: 0, stderr: '' });
    expect(second.stdout).toContain('Signed in as demo.owner@harborpoint.example');
    expect(second.stdout.match(/already uploaded, ready/g)).toHaveLength(4);
    expect(second.stdout).toMatch(/A: .*60,000 miles/);
    expect(second.stdout).toContain('curl -sSN');
    const documents = await ctx.db.query<{ count: string }>('SELECT count(*) FROM documents');
    expect(Number(documents.rows[0].count)).toBe(4);
  }, 120_000);

  it('says how to start the api when nothing listens at SHOWROOM_URL', async () => {
    const run = await runDemo({ SHOWROOM_URL: `http://127.0.0.1:${await closedPort()}` });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Cannot reach the Showroom api at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
    expect(run.stderr).toContain('npm start');
  });
});
