// Shared helpers of the benchmark scripts: start a process and wait for its port, run a load.
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { once } from 'node:events';

/**
 * Starts `node <entry>` on env.PORT and resolves once `probe` answers 200. The process's
 * stdout (its request logs) goes to /dev/null: reading it here would slow the load generator
 * that shares this process, and skew every logged case.
 */
export async function startProcess(entry, env, probe, timeoutMs = 30_000) {
  const child = spawn(process.execPath, [entry], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  const port = env.PORT;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${entry} exited with ${child.exitCode}`);
    {
      try {
        const res = await fetch(`http://127.0.0.1:${port}${probe}`);
        if (res.status === 200) return { child, port, stop: () => stop(child) };
      } catch {
        // not listening yet
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`${entry} did not become ready`);
}

async function stop(child) {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await once(child, 'exit');
}

/** Runs one fixed-duration load and returns throughput and latency percentiles (ms). */
export async function load(url, { connections, durationSeconds, expectStatus }) {
  const result = await autocannon({ url, connections, duration: durationSeconds, pipelining: 1 });
  const unexpected = result.non2xx && expectStatus === 200 ? result.non2xx : 0;
  return {
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts + unexpected,
  };
}

export function machine() {
  return `${process.platform} ${process.arch}, Node ${process.version}`;
}
