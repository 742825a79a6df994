import type { Request, Response } from 'express';
import type { ChatStreamEvent } from '../conversation-answers';

const HEARTBEAT_MS = 15_000;

/**
 * Writes chat events as Server-Sent Events. Headers go out with the first event, so an error
 * before it (404, 422) is still answered as a JSON envelope with its status. `gone` aborts
 * when the client disconnects.
 */
export class SseWriter {
  private readonly client = new AbortController();
  private heartbeat?: NodeJS.Timeout;

  constructor(private readonly res: Response) {
    // 'close' on the response fires when the connection ends, before or after we finish.
    res.on('close', () => {
      if (!res.writableFinished) this.client.abort();
      clearInterval(this.heartbeat);
    });
  }

  get gone(): AbortSignal {
    return this.client.signal;
  }

  write(event: ChatStreamEvent): void {
    if (this.res.writableEnded || this.client.signal.aborted) return;
    if (!this.res.headersSent) this.open();
    this.res.write(`id: ${event.id}\nevent: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`);
  }

  end(): void {
    clearInterval(this.heartbeat);
    if (!this.res.writableEnded) this.res.end();
  }

  private open(): void {
    this.res.status(200);
    this.res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    this.res.setHeader('Cache-Control', 'no-cache, no-transform');
    this.res.setHeader('X-Accel-Buffering', 'no');
    this.res.flushHeaders();
    this.heartbeat = setInterval(() => this.res.write(': keep-alive\n\n'), HEARTBEAT_MS);
  }
}

export const wantsEventStream = (req: Request) => (req.headers.accept ?? '').includes('text/event-stream');

/** `Last-Event-ID` (header, or `lastEventId` query for clients that cannot set headers) → the seq after which to resume. */
export function lastSeenSeq(req: Request, messageId: string): number {
  const raw = (req.headers['last-event-id'] as string | undefined) ?? (req.query.lastEventId as string | undefined) ?? '';
  const [id, seq] = raw.includes(':') ? raw.split(':') : [messageId, raw];
  const n = Number(seq);
  return id === messageId && Number.isInteger(n) && n > 0 ? n : 0;
}
