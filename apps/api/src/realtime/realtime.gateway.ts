import { Logger } from '@nestjs/common';
import { OnGatewayInit, WebSocketGateway } from '@nestjs/websockets';
import type { Principal } from '@showroom/auth';
import { AppException, RealtimeRooms, RequestContext, clientRequestId, socketErrorEnvelope } from '@showroom/core';
import { randomUUID } from 'node:crypto';
import type { Server, Socket } from 'socket.io';
import { CommandRateLimit } from './command-rate-limit';
import { SocketAuthenticator } from './socket-authenticator';
import { SocketCommandRegistry } from './socket-command-registry';
import { SocketData, SocketIoSession } from './socket-io-session';

export const REALTIME_PATH = '/api/v1/ws';

/** A socket's credential is verified again this often, so a deactivated user or revoked key that only listens is cut off too. */
const REVERIFY_MS = 60_000;

type Ack = (response: unknown) => void;

/**
 * The WebSocket face of the api (socket.io at /api/v1/ws). Authentication happens once at
 * the handshake and again before every command; the tenant is the credential's. The commands
 * themselves belong to the domains (@SocketCommand methods, found by SocketCommandRegistry);
 * this gateway knows none of them.
 *
 * Commands are dispatched here, not through @SubscribeMessage: the app's global guards are
 * HTTP-shaped (passport reads request headers, the throttler writes response headers) and would
 * refuse every socket message, and one dispatcher gives every malformed or unknown frame the
 * same `error` envelope while the socket stays open.
 */
@WebSocketGateway({ path: REALTIME_PATH })
export class RealtimeGateway extends RealtimeRooms implements OnGatewayInit<Server> {
  private readonly logger = new Logger(RealtimeGateway.name);
  private server?: Server;

  constructor(
    private readonly authenticator: SocketAuthenticator,
    private readonly commands: SocketCommandRegistry,
    private readonly limiter: CommandRateLimit,
  ) {
    super();
  }

  afterInit(server: Server): void {
    server.use((socket, next) => {
      const credential = this.authenticator.credentialOf(socket);
      this.limiter.takeHandshake(socket.handshake.address).then(() => this.authenticator.verify(credential)).then(
        (principal) => {
          socket.data = { principal, credential: credential! } satisfies SocketData; // verify() refuses a missing one
          next();
        },
        (error: unknown) => {
          // connect_error on the client: `message` for people, `data` the usual envelope.
          const refusal = new Error(error instanceof AppException ? error.message : 'Authentication failed.') as Error & { data: unknown };
          refusal.data = socketErrorEnvelope(error, randomUUID());
          next(refusal);
        },
      );
    });
    server.on('connection', (socket: Socket) => this.attach(socket));
    this.server = server;
  }

  /** Room sends for the domains (RealtimeRooms): to this pod's sockets only, see RealtimeRooms. */
  emitLocal(room: string, event: string, data: unknown): void {
    this.server?.local.to(room).emit(event, data);
  }

  private attach(socket: Socket): void {
    const session = new SocketIoSession(socket);
    // Listeners are attached synchronously on 'connection', so no early frame is missed.
    socket.onAny((event: string, ...args: unknown[]) => void this.dispatch(socket, session, event, args));
    const reverify = setInterval(() => {
      this.reverify(socket).catch((error: unknown) => {
        if (!isAuthFailure(error)) return; // the database hiccuped: not the client's fault
        socket.emit('error', { event: 'auth', requestId: randomUUID(), ...socketErrorEnvelope(error, randomUUID()) });
        socket.disconnect(true);
      });
    }, REVERIFY_MS);
    reverify.unref();
    socket.on('disconnect', () => clearInterval(reverify));
  }

  private async dispatch(socket: Socket, session: SocketIoSession, event: string, args: unknown[]): Promise<void> {
    // A binary stream a command opened (voice audio): straight to its receiver, see SocketSession.receiveBinary.
    if (args.length === 1 && session.deliverBinary(event, args[0])) return;
    const ack = typeof args.at(-1) === 'function' ? (args.pop() as Ack) : undefined;
    const frame = args[0];
    const requestId = clientRequestId(frame) ?? randomUUID();
    await RequestContext.run(requestId, async () => {
      try {
        const { command, payload } = await this.commands.parse(event, frame);
        const principal = await this.reverify(socket);
        await this.limiter.take(principal);
        const result = (await command.handle(payload, session, requestId)) ?? {};
        ack?.({ ok: true, requestId, ...result });
      } catch (error) {
        const refusal = { event, requestId, ...socketErrorEnvelope(error, requestId) };
        socket.emit('error', refusal);
        ack?.(refusal);
        if (isAuthFailure(error)) {
          this.logger.log(`socket ${socket.id} closed: credential no longer valid`);
          socket.disconnect(true);
        }
      }
    });
  }

  /**
   * The handshake's credential, checked again (a primary-key read) before every command and
   * every REVERIFY_MS: a deactivated user, a revoked key or an expired token is refused and the
   * socket closed. A fresh principal also means a role change applies at once.
   */
  private async reverify(socket: Socket): Promise<Principal> {
    const data = socket.data as SocketData;
    data.principal = await this.authenticator.verify(data.credential);
    return data.principal;
  }
}

const isAuthFailure = (error: unknown) => error instanceof AppException && error.status === 401;
