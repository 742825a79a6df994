import { HttpStatus, Injectable, OnModuleDestroy } from '@nestjs/common';
import { ADMIN_ROLES, Principal } from '@showroom/auth';
import { AppException, RealtimeRooms, SocketCommand, SocketSession } from '@showroom/core';
import type { Subscription } from 'rxjs';
import { DocumentEvents } from '../events/document-events';

export const documentsRoom = (dealershipId: string) => `dealership:${dealershipId}:documents`;

/**
 * documents.subscribe / documents.unsubscribe over the api's WebSocket: owners and admins
 * follow every document of their dealership as `document.progress` events.
 *
 * Every api pod already receives every dealership's progress on DocumentEvents' Redis
 * channel, so each pod delivers to the sockets connected to it (`emitLocal`). Broadcasting
 * through the Redis adapter as well would hand each socket every event once per pod.
 * Started by the first subscriber, so a pod nobody follows progress on holds no subscription.
 */
@Injectable()
export class DocumentProgressSocketCommands implements OnModuleDestroy {
  private progress?: Subscription;

  constructor(
    private readonly documentEvents: DocumentEvents,
    private readonly rooms: RealtimeRooms,
  ) {}

  @SocketCommand('documents.subscribe')
  async subscribe(_command: unknown, session: SocketSession<Principal>) {
    const principal = session.principal;
    if (principal.kind !== 'user' || !ADMIN_ROLES.includes(principal.role)) {
      throw new AppException(HttpStatus.FORBIDDEN, 'FORBIDDEN', 'Only owners and admins can follow document progress.');
    }
    this.followProgress();
    await session.join(documentsRoom(principal.dealershipId));
    return { subscribed: true };
  }

  @SocketCommand('documents.unsubscribe')
  async unsubscribe(_command: unknown, session: SocketSession<Principal>) {
    await session.leave(documentsRoom(session.principal.dealershipId));
    return { subscribed: false };
  }

  onModuleDestroy(): void {
    this.progress?.unsubscribe();
  }

  private followProgress(): void {
    this.progress ??= this.documentEvents.streamAll().subscribe(({ dealershipId, ...event }) => {
      this.rooms.emitLocal(documentsRoom(dealershipId), 'document.progress', event);
    });
  }
}
