import type { ServerResponse } from 'node:http';
import type { ShutdownState } from '../../lifecycle/shutdown-state';
import { clientGone } from './client-gone';

/** One Server-Sent Event. `data` is sent as is when a string, else as JSON; without `event` it is a plain `message`. */
export interface SseEvent {
  id?: string;
  event?: string;
  data: unknown;
}

export interface SseStreamOptions {
  /** A `: keep-alive` comment this often while the stream is idle, so proxies keep the connection; 0 sends none. Default 15 s. */
  heartbeatMs?: number;
  /** Ends the stream when the pod starts draining (SIGTERM), so closing the HTTP server does not wait for it; the client reconnects elsewhere. */
  endOnDrain?: ShutdownState;
}

const DEFAULT_HEARTBEAT_MS = 15_000;

/**
 * Every Server-Sent Events response of the api is written through this: headers, heartbeat,
 * the client-gone signal, backpressure and the end. The headers go out with the first event
 * (or `open()`), so a failure before it can still be answered as a normal HTTP error.
 *
 * Backpressure: `send()` resolves at once while the socket keeps up and otherwise when it has
 * drained (or the client left), so a producer that awaits it never buffers more than one
 * event beyond the socket's high-water mark. Writes are never reordered or dropped while the
 * client is there.
 */
export class SseStream {
  readonly clientGone: AbortSignal;
  private heartbeat?: NodeJS.Timeout;
  private readonly heartbeatMs: number;
  private stopOnDrain?: () => void;

  constructor(
    private readonly res: ServerResponse,
    options: SseStreamOptions = {},
  ) {
    this.clientGone = clientGone(res);
    this.heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
    res.once('close', () => this.stop());
    if (options.endOnDrain) this.stopOnDrain = options.endOnDrain.whenDraining(() => this.end());
  }

  /** True once the headers went out: from then on, errors must be written as events. */
  get opened(): boolean {
    return this.res.headersSent;
  }

  /** True once the stream ended, by us or by the client leaving; later writes are ignored. */
  get ended(): boolean {
    return this.res.writableEnded || this.clientGone.aborted;
  }

  /** Sends 200 and the event-stream headers now (idempotent). */
  open(): void {
    if (this.res.headersSent || this.ended) return;
    this.res.statusCode = 200;
    this.res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    this.res.setHeader('Cache-Control', 'no-cache, no-transform');
    // Proxies such as nginx would otherwise buffer the events.
    this.res.setHeader('X-Accel-Buffering', 'no');
    this.res.flushHeaders();
    if (this.heartbeatMs > 0) {
      this.heartbeat = setInterval(() => {
        // A socket that has not drained needs no keep-alive, and more bytes would only pile up.
        if (!this.ended && !this.res.writableNeedDrain) this.res.write(': keep-alive\n\n');
      }, this.heartbeatMs);
      this.heartbeat.unref();
    }
  }

  /** Writes one event; resolves when the socket can take more (see the class comment). */
  send(event: SseEvent): Promise<void> {
    if (this.ended) return Promise.resolve();
    this.open();
    return this.write(formatEvent(event));
  }

  /** Ends the stream, after `last` if given (for example OpenAI's `[DONE]`). Idempotent. */
  end(last?: SseEvent): void {
    this.stop();
    if (this.ended) return;
    if (last) {
      this.open();
      this.res.end(formatEvent(last));
    } else {
      this.res.end();
    }
  }

  private write(chunk: string): Promise<void> {
    if (this.res.write(chunk)) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.res.off('drain', done);
        this.res.off('close', done);
        resolve();
      };
      this.res.on('drain', done);
      this.res.on('close', done);
    });
  }

  private stop(): void {
    clearInterval(this.heartbeat);
    this.stopOnDrain?.();
    this.stopOnDrain = undefined;
  }
}

/** The event's fields in the order id, event, data; a multi-line string becomes one `data:` line per line, as the spec reads them back. */
export function formatEvent(event: SseEvent): string {
  const data = typeof event.data === 'string' ? event.data : (JSON.stringify(event.data) ?? '');
  // A line break in a name or id would let one event forge another.
  if (/[\r\n]/.test(`${event.id ?? ''}${event.event ?? ''}`)) throw new Error('An SSE id or event name cannot contain a line break.');
  let out = '';
  if (event.id !== undefined) out += `id: ${event.id}\n`;
  if (event.event !== undefined) out += `event: ${event.event}\n`;
  for (const line of data.split(/\r\n|\r|\n/)) out += `data: ${line}\n`;
  return `${out}\n`;
}
