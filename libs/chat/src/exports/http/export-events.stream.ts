import { type ShutdownState, SseStream } from '@showroom/core';
import type { Response } from 'express';
import type { ExportEvents } from '../export-events';
import type { ExportProgressEvent } from '../export.view';

const isFinal = (event: ExportProgressEvent) => event.status !== 'queued' && event.status !== 'processing';

/**
 * Streams one export's progress as Server-Sent Events (`event: progress`) until it is ready,
 * failed or expired, the client leaves, or the pod drains. It subscribes before reading the
 * current state, so no change can slip between the two.
 */
export async function streamExportProgress(
  res: Response,
  deps: { events: ExportEvents; shutdown: ShutdownState; dealershipId: string; exportId: string; current: () => Promise<ExportProgressEvent> },
): Promise<void> {
  const pending: ExportProgressEvent[] = [];
  let send: (event: ExportProgressEvent) => void = (event) => pending.push(event);
  const subscription = deps.events.stream(deps.dealershipId, deps.exportId).subscribe((event) => send(event));
  let current: ExportProgressEvent;
  try {
    current = await deps.current(); // throws 404 before any byte is sent
  } catch (error) {
    subscription.unsubscribe();
    throw error;
  }

  const sse = new SseStream(res, { endOnDrain: deps.shutdown });
  const end = () => {
    subscription.unsubscribe();
    sse.end();
  };
  res.once('close', end);
  let last = -1;
  // A few events per export, pushed by Redis: nothing to slow down, so no wait for drain.
  send = (event) => {
    // Events published before the current state was read may arrive after it; never go back.
    if (!isFinal(event) && event.progress < last) return;
    last = event.progress;
    void sse.send({ event: 'progress', data: event });
    if (isFinal(event)) end();
  };
  send(current);
  for (const event of pending) send(event);
}
