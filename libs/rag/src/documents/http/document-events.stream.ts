import { type ShutdownState, SseStream } from '@showroom/core';
import type { Response } from 'express';
import type { DocumentEvents, DocumentProgressEvent } from '../events/document-events';

const isFinal = (event: DocumentProgressEvent) => event.status === 'ready' || event.status === 'failed';

/**
 * Streams one document's progress as Server-Sent Events (`event: progress`) until it is ready
 * or failed, the client leaves, or the pod drains. It subscribes before reading the current
 * state, so no change can slip between the two.
 */
export async function streamDocumentProgress(
  res: Response,
  deps: { events: DocumentEvents; shutdown: ShutdownState; dealershipId: string; documentId: string; current: () => Promise<DocumentProgressEvent> },
): Promise<void> {
  const pending: DocumentProgressEvent[] = [];
  let send: (event: DocumentProgressEvent) => void = (event) => pending.push(event);
  const subscription = deps.events.stream(deps.dealershipId, deps.documentId).subscribe((event) => send(event));
  let current: DocumentProgressEvent;
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
  // Progress events are a few per document and pushed by Redis: nothing to slow down, so no wait for drain.
  send = (event) => {
    void sse.send({ event: 'progress', data: event });
    if (isFinal(event)) end();
  };
  send(current);
  for (const event of pending) send(event);
}
