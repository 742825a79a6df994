import type { ServerResponse } from 'node:http';
import type { ShutdownState } from '../../lifecycle/shutdown-state';
import { SseStream } from './sse-stream';

/** What a progress stream needs of an event source (an rxjs Observable fits). */
interface ProgressEvents<E> {
  subscribe(listener: (event: E) => void): { unsubscribe(): void };
}

export interface ProgressStreamOptions<E extends { progress: number }> {
  /** The row's change events, already narrowed to this row and dealership. */
  events: ProgressEvents<E>;
  /** The row's state now; throws (404) before any byte is sent when the caller may not see it. */
  current: () => Promise<E>;
  /** True for a state after which nothing more happens (ready, failed, expired). */
  isFinal: (event: E) => boolean;
  shutdown: ShutdownState;
}

/**
 * Streams one row's progress (a document's ingestion, an export's rendering) as Server-Sent
 * Events, `event: progress`, until a final state, the client leaving, or the pod draining.
 * It subscribes before reading the current state, so no change slips between the two, and
 * drops an event older than one already sent (published before the read, delivered after),
 * so a progress bar never moves back.
 */
export async function streamProgress<E extends { progress: number }>(res: ServerResponse, options: ProgressStreamOptions<E>): Promise<void> {
  const pending: E[] = [];
  let send: (event: E) => void = (event) => pending.push(event);
  const subscription = options.events.subscribe((event) => send(event));
  let current: E;
  try {
    current = await options.current();
  } catch (error) {
    subscription.unsubscribe();
    throw error;
  }

  const sse = new SseStream(res, { endOnDrain: options.shutdown });
  const end = () => {
    subscription.unsubscribe();
    sse.end();
  };
  res.once('close', end);
  let last = -1;
  // A few events per row, pushed by Redis: nothing to slow down, so no wait for drain.
  send = (event) => {
    if (!options.isFinal(event) && event.progress < last) return;
    last = event.progress;
    void sse.send({ event: 'progress', data: event });
    if (options.isFinal(event)) end();
  };
  send(current);
  for (const event of pending) send(event);
}
