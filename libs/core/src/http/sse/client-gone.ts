import type { ServerResponse } from 'node:http';

const signals = new WeakMap<ServerResponse, AbortSignal>();

/**
 * Aborts when the connection closes before the response is complete: the client went away
 * (closed the tab, aborted its fetch, lost the network), so work done only for it can stop.
 * A response that we finished ourselves never aborts it. One signal per response, so every
 * caller that asks about the same response shares it.
 */
export function clientGone(res: ServerResponse): AbortSignal {
  let signal = signals.get(res);
  if (signal) return signal;
  const controller = new AbortController();
  signal = controller.signal;
  signals.set(res, signal);
  if (res.destroyed && !res.writableFinished) controller.abort();
  // 'close' on the response fires when the connection ends, before or after we finish.
  else res.once('close', () => !res.writableFinished && controller.abort());
  return signal;
}
