import { Logger } from '@nestjs/common';
import WebSocket from 'ws';
import { providerFailed, providerTimeout } from './provider-errors';

interface LiteSocket {
  ws: WebSocket;
  ready: Promise<void>;
  /** Set when we close it, so our own close is not reported as a drop. */
  closing: boolean;
}

/**
 * This process's WebSocket connections to LiveAvatar LITE sessions (`ws_url`), opened on the
 * first sentence a pod says in a session (any pod may serve a session's /speak) and closed
 * when the session stops. A socket the vendor closes, or a `session.state_updated` to
 * closing/closed, is reported as a drop so the session row is ended and the client told.
 */
export class LiteSockets {
  private readonly logger = new Logger('LiveAvatarLite');
  private readonly sockets = new Map<string, LiteSocket>();
  private readonly listeners: ((providerSessionId: string, reason: string) => void)[] = [];

  constructor(private readonly timeoutMs: number) {}

  onDropped(listener: (providerSessionId: string, reason: string) => void): void {
    this.listeners.push(listener);
  }

  /** The open, connected socket of a session (opening it and waiting for `connected` the first time). */
  async get(providerSessionId: string, wsUrl: string): Promise<WebSocket> {
    let socket = this.sockets.get(providerSessionId);
    if (!socket || socket.ws.readyState > WebSocket.OPEN) {
      socket = this.open(providerSessionId, wsUrl);
      this.sockets.set(providerSessionId, socket);
    }
    await socket.ready;
    return socket.ws;
  }

  /** Sends one event; false when this process holds no socket for the session. */
  send(providerSessionId: string, event: Record<string, unknown>): boolean {
    const socket = this.sockets.get(providerSessionId);
    if (!socket || socket.ws.readyState !== WebSocket.OPEN) return false;
    socket.ws.send(JSON.stringify(event));
    return true;
  }

  close(providerSessionId: string): void {
    const socket = this.sockets.get(providerSessionId);
    if (!socket) return;
    socket.closing = true;
    this.sockets.delete(providerSessionId);
    socket.ws.close(1000, 'session stopped');
  }

  closeAll(): void {
    for (const id of [...this.sockets.keys()]) this.close(id);
  }

  private open(providerSessionId: string, wsUrl: string): LiteSocket {
    const ws = new WebSocket(wsUrl, { handshakeTimeout: this.timeoutMs });
    const socket: LiteSocket = { ws, closing: false, ready: Promise.resolve() };
    socket.ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(providerTimeout('LiveAvatar'));
        ws.terminate();
      }, this.timeoutMs);
      ws.on('message', (raw) => {
        const event = parse(raw.toString());
        if (event?.type !== 'session.state_updated') return;
        const state = (event.state ?? (event.data as { state?: string } | undefined)?.state) as string | undefined;
        if (state === 'connected') {
          clearTimeout(timer);
          resolve();
        } else if (state === 'closing' || state === 'closed') {
          this.dropped(providerSessionId, socket, `provider_${state}`);
        }
      });
      ws.on('error', (error) => {
        clearTimeout(timer);
        reject(providerFailed('LiveAvatar', `session socket: ${error.message}`));
      });
      ws.on('close', () => {
        clearTimeout(timer);
        reject(providerFailed('LiveAvatar', 'session socket closed'));
        this.dropped(providerSessionId, socket, 'provider_closed');
      });
    });
    // A rejection nobody awaits (the socket died between sentences) must not crash the process.
    socket.ready.catch(() => undefined);
    return socket;
  }

  private dropped(providerSessionId: string, socket: LiteSocket, reason: string): void {
    if (socket.closing || this.sockets.get(providerSessionId) !== socket) return;
    socket.closing = true;
    this.sockets.delete(providerSessionId);
    if (socket.ws.readyState === WebSocket.OPEN) socket.ws.close(1000, 'session ended by the provider');
    this.logger.warn(`LiveAvatar ended session ${providerSessionId}: ${reason}`);
    for (const listener of this.listeners) listener(providerSessionId, reason);
  }
}

function parse(raw: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(raw) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
