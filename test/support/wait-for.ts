import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Polls until `probe` returns a value other than undefined/false, or fails after `timeoutMs`
 * with the description, so a broken test fails with a reason instead of hanging. The default
 * leaves room for a loaded CI machine (two suites at once on two cores, a parse thread and a
 * worker each): a small document's ingestion has been seen to take 10-20 s there.
 */
export async function waitFor<T>(
  description: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    await sleep(50);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}${last ? `: ${String(last)}` : ''}`);
}
