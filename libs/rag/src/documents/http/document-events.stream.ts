import type { ShutdownState } from '@showroom/core';
import type { Request, Response } from 'express';
import type { DocumentEvents, DocumentProgressEvent } from '../events/document-events';

const HEARTBEAT_MS = 15_000;
const isFinal = (event: DocumentProgressEvent) => event.status === 'ready' || event.status === 'failed';

/**
 * Streams one document's progress as Server-Sent Events (`event: progress`) until it is ready
 * or failed, the client leaves, or the pod drains. It subscribes before reading the current
 * state, so no change can slip between the two.
 */
export async function streamDocumentProgress(
  req: Request,
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

  res.status(200);
  res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  res.setHeader('Cache-Control', 'no-cache, no-transform');
  res.setHeader('X-Accel-Buffering', 'no');
  res.flushHeaders();

  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
  const stopOnDrain = deps.shutdown.whenDraining(() => end());
  function end(): void {
    clearInterval(heartbeat);
    subscription.unsubscribe();
    stopOnDrain();
    if (!res.writableEnded) res.end();
  }
  send = (event) => {
    if (res.writableEnded) return;
    res.write(`event: progress\ndata: ${JSON.stringify(event)}\n\n`);
    if (isFinal(event)) end();
  };
  req.on('close', end);
  send(current);
  for (const event of pending) send(event);
}
