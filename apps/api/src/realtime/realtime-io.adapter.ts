import type { INestApplication } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { AppConfig, RedisConnections, ShutdownState } from '@showroom/core';
import { createAdapter } from '@socket.io/redis-adapter';
import Redis from 'ioredis';
import type { IncomingMessage } from 'node:http';
import type { Server, ServerOptions } from 'socket.io';

/**
 * The api's socket.io server settings (the gateway is RealtimeGateway, beside this file):
 *
 * - WebSocket transport only: HTTP long-polling needs every request of a session to reach the
 *   same pod (sticky sessions), which the api's Service does not give; WebSocket is one
 *   connection, so any pod will do.
 * - The Redis adapter (@socket.io/redis-adapter) on two dedicated connections under the app's
 *   key prefix, so room broadcasts and socket operations from any pod reach sockets on every pod.
 * - Browsers' Origin is checked against CORS_ORIGINS, as for HTTP; frames over
 *   HTTP_BODY_LIMIT_BYTES close the connection.
 * - On SIGTERM: after the readiness delay (traffic has moved away) every socket's connection is
 *   closed, so clients reconnect to another pod and closing the HTTP server does not wait for
 *   them; new connections are refused from then on.
 */
export class RealtimeIoAdapter extends IoAdapter {
  private closing = false;
  private connections: Redis[] = [];

  constructor(
    private readonly app: INestApplication,
    private readonly config: AppConfig,
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const server = super.createIOServer(port, {
      ...options,
      transports: ['websocket'],
      serveClient: false,
      maxHttpBufferSize: this.config.http.bodyLimitBytes,
      allowRequest: (req, callback) => callback(null, !this.closing && this.originAllowed(req)),
    } as ServerOptions);

    const [pub, sub] = (this.connections = [this.connect('socket.io-pub'), this.connect('socket.io-sub')]);
    server.adapter(createAdapter(pub, sub, { key: this.app.get(RedisConnections).key('socket.io') }));

    this.app.get(ShutdownState).whenDraining(() => {
      setTimeout(() => {
        this.closing = true;
        // Closes the transports without a socket.io "disconnect" packet: the client sees a lost
        // connection and reconnects (to another pod), rather than a deliberate server kick.
        server.engine.close();
      }, this.config.shutdown.readinessDelayMs).unref();
    });
    return server;
  }

  /** After socket.io has closed, its Redis connections are cut: nothing on them needs flushing. */
  override async close(server: Server): Promise<void> {
    await super.close(server);
    for (const connection of this.connections.splice(0)) connection.disconnect();
  }

  /**
   * The adapter's own connections, not RedisConnections.blocking(): that class QUITs its
   * connections at shutdown, and while Redis is unreachable a QUIT behind a queued SUBSCRIBE
   * never resolves, which would hold shutdown until the grace period. The offline queue stays
   * on, so a publish during a Redis blip waits instead of rejecting unhandled inside the adapter.
   */
  private connect(name: string): Redis {
    const client = new Redis(this.config.redis.url, {
      connectionName: `showroom-${name}`,
      connectTimeout: 5_000,
      maxRetriesPerRequest: null,
      retryStrategy: (attempt) => Math.min(attempt * 200, 5_000),
    });
    let lastError = '';
    client.on('error', (error: Error) => {
      if (error.message !== lastError) this.logger.warn(`redis ${name}: ${error.message}`);
      lastError = error.message;
    });
    client.on('ready', () => (lastError = ''));
    return client;
  }

  /**
   * Browsers always send Origin on a WebSocket handshake, so this is what stops another site's
   * page from opening a socket with a visitor's token. The console is served by the api itself,
   * so its own origin (the same host the request came to) is allowed without being listed in
   * CORS_ORIGINS; servers send no Origin at all.
   */
  private originAllowed(req: IncomingMessage): boolean {
    const origin = req.headers.origin;
    if (!origin) return true;
    if (this.config.http.corsOrigins.includes(origin)) return true;
    return sameHost(origin, req.headers.host);
  }
}

function sameHost(origin: string, host: string | undefined): boolean {
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false; // "null" (sandboxed frames, file://) or garbage
  }
}
