import { Logger, OnModuleDestroy } from '@nestjs/common';
import { OnGatewayInit, WebSocketGateway } from '@nestjs/websockets';
import { ADMIN_ROLES, Principal } from '@showroom/auth';
import { AppException, RequestContext } from '@showroom/core';
import { DocumentEvents } from '@showroom/rag';
import { randomUUID } from 'node:crypto';
import type { Subscription } from 'rxjs';
import type { Server, Socket } from 'socket.io';
import type { ChatUser } from '../conversations/conversation-access';
import { ChatOverSocket } from './chat-over-socket';
import { CommandRateLimit } from './command-rate-limit';
import { SocketCommand, clientRequestId, parseCommand } from './socket-commands';
import { SocketAuthenticator } from './socket-authenticator';
import { SocketErrors, envelopeOf } from './socket-errors';

export const REALTIME_PATH = '/api/v1/ws';

/** A socket's credential is verified again this often, so a deactivated user or revoked key that only listens is cut off too. */
const REVERIFY_MS = 60_000;

export const documentsRoom = (dealershipId: string) => `dealership:${dealershipId}:documents`;

interface SocketData {
  principal: Principal;
  credential: string;
}

type Ack = (response: unknown) => void;

/**
 * The WebSocket face of the api (socket.io at /api/v1/ws). Authentication happens once at
 * the handshake and again before every command; the tenant is the credential's.
 *
 * Commands are dispatched here, not through @SubscribeMessage: the app's global guards are
 * HTTP-shaped (passport reads request headers, the throttler writes response headers) and would
 * refuse every socket message, and one dispatcher gives every malformed or unknown frame the
 * same `error` envelope while the socket stays open.
 */
@WebSocketGateway({ path: REALTIME_PATH })
export class RealtimeGateway implements OnGatewayInit<Server>, OnModuleDestroy {
  private readonly logger = new Logger(RealtimeGateway.name);
  private progress?: Subscription;
  private server: Server;

  constructor(
    private readonly authenticator: SocketAuthenticator,
    private readonly chat: ChatOverSocket,
    private readonly limiter: CommandRateLimit,
    private readonly documentEvents: DocumentEvents,
  ) {}

  afterInit(server: Server): void {
    server.use((socket, next) => {
      const credential = this.authenticator.credentialOf(socket);
      this.authenticator.verify(credential).then(
        (principal) => {
          socket.data = { principal, credential: credential! } satisfies SocketData; // verify() refuses a missing one
          next();
        },
        (error: unknown) => {
          // connect_error on the client: `message` for people, `data` the usual envelope.
          const refusal = new Error(error instanceof AppException ? error.message : 'Authentication failed.') as Error & { data: unknown };
          refusal.data = envelopeOf(error, randomUUID());
          next(refusal);
        },
      );
    });
    server.on('connection', (socket: Socket) => this.attach(socket));
    this.server = server;
  }

  /**
   * Every api pod already receives every dealership's progress on DocumentEvents' Redis
   * channel, so each pod delivers to the sockets connected to it (`local`). Broadcasting
   * through the Redis adapter as well would hand each socket every event once per pod.
   * Started by the first subscriber, so a pod nobody follows progress on holds no subscription.
   */
  private followProgress(): void {
    const server = this.server;
    this.progress ??= this.documentEvents.streamAll().subscribe(({ dealershipId, ...event }) => {
      server.local.to(documentsRoom(dealershipId)).emit('document.progress', event);
    });
  }

  onModuleDestroy(): void {
    this.progress?.unsubscribe();
  }

  private attach(socket: Socket): void {
    // Listeners are attached synchronously on 'connection', so no early frame is missed.
    socket.onAny((event: string, ...args: unknown[]) => void this.dispatch(socket, event, args));
    const reverify = setInterval(() => {
      this.reverify(socket).catch((error: unknown) => {
        if (!isAuthFailure(error)) return; // the database hiccuped: not the client's fault
        socket.emit('error', { event: 'auth', requestId: randomUUID(), ...envelopeOf(error, randomUUID()) });
        socket.disconnect(true);
      });
    }, REVERIFY_MS);
    reverify.unref();
    socket.on('disconnect', () => {
      clearInterval(reverify);
      this.chat.release(socket);
    });
  }

  private async dispatch(socket: Socket, event: string, args: unknown[]): Promise<void> {
    const ack = typeof args.at(-1) === 'function' ? (args.pop() as Ack) : undefined;
    const payload = args[0];
    const requestId = clientRequestId(payload) ?? randomUUID();
    await RequestContext.run(requestId, async () => {
      try {
        const command = parseCommand(event, payload);
        const principal = await this.reverify(socket);
        await this.limiter.take(principal);
        const result = await this.run(socket, principal, command, requestId);
        ack?.({ ok: true, requestId, ...result });
      } catch (error) {
        const refusal = { event, requestId, ...envelopeOf(error, requestId) };
        socket.emit('error', refusal);
        ack?.(refusal);
        if (isAuthFailure(error)) {
          this.logger.log(`socket ${socket.id} closed: credential no longer valid`);
          socket.disconnect(true);
        }
      }
    });
  }

  private async run(socket: Socket, principal: Principal, command: SocketCommand, requestId: string): Promise<object> {
    const tenant = { dealershipId: principal.dealershipId };
    switch (command.event) {
      case 'chat.ask':
        return this.chat.ask(socket, chatUser(principal), tenant, command, requestId);
      case 'chat.resume':
        return this.chat.resume(socket, chatUser(principal), tenant, command.messageId, command.afterSeq, requestId);
      case 'chat.cancel':
        chatUser(principal);
        return this.chat.cancel(socket, command);
      case 'documents.subscribe':
        if (principal.kind !== 'user' || !ADMIN_ROLES.includes(principal.role)) throw SocketErrors.forbidden('Only owners and admins can follow document progress.');
        this.followProgress();
        await socket.join(documentsRoom(principal.dealershipId));
        return { subscribed: true };
      case 'documents.unsubscribe':
        await socket.leave(documentsRoom(principal.dealershipId));
        return { subscribed: false };
    }
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

/** Conversations belong to people; API keys are refused, as on the HTTP chat routes. */
function chatUser(principal: Principal): ChatUser {
  if (principal.kind !== 'user') throw SocketErrors.forbidden('API keys cannot chat here; use the OpenAI-compatible endpoint.');
  return principal;
}
