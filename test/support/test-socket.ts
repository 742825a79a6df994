import { io, type Socket } from 'socket.io-client';
import { waitFor } from './wait-for';

export interface Received {
  event: string;
  payload: Record<string, unknown>;
}

/** A socket.io client as the React client would use it (WebSocket transport, token in auth), recording every event it receives. */
export class TestSocket {
  readonly received: Received[] = [];
  readonly socket: Socket;

  constructor(base: string, token: string) {
    this.socket = io(base, { path: '/api/v1/ws', transports: ['websocket'], auth: { token }, reconnection: false, forceNew: true });
    this.socket.onAny((event: string, payload: Record<string, unknown>) => this.received.push({ event, payload }));
  }

  opened(): Promise<this> {
    return new Promise((resolve, reject) => {
      this.socket.once('connect', () => resolve(this));
      this.socket.once('connect_error', reject);
    });
  }

  /** Emits a command and waits for its ack (`{ ok: true, … }` or the error envelope). */
  command(event: string, payload?: unknown): Promise<Record<string, unknown>> {
    return this.socket.timeout(10_000).emitWithAck(event, payload) as Promise<Record<string, unknown>>;
  }

  events(name: string): Record<string, unknown>[] {
    return this.received.filter((r) => r.event === name).map((r) => r.payload);
  }

  async waitForEvent(name: string, match: (payload: Record<string, unknown>) => boolean = () => true, timeoutMs = 20_000): Promise<Record<string, unknown>> {
    await waitFor(`${name} event`, () => this.events(name).some(match), timeoutMs);
    return this.events(name).find(match)!;
  }

  close(): void {
    this.socket.close();
  }
}
