/**
 * One refresh at a time across every tab of the origin. The api rotates the refresh token on
 * each use and treats a rotated token presented again as theft (the whole family revoked), so
 * two tabs must never send the same token. The Web Locks API gives an origin-wide mutex; where
 * it is missing (old browsers, jsdom) a promise chain serialises this tab at least.
 */
let chain: Promise<unknown> = Promise.resolve();

export function withRefreshLock<T>(task: () => Promise<T>): Promise<T> {
  if (typeof navigator !== 'undefined' && navigator.locks?.request) {
    return navigator.locks.request('showroom.refresh-token', task) as Promise<T>;
  }
  const run = chain.then(task, task);
  chain = run.catch(() => undefined);
  return run;
}
