import { HttpStatus, Injectable, OnModuleDestroy } from '@nestjs/common';
import { ADMIN_ROLES, Principal } from '@showroom/auth';
import { AppException, RealtimeRooms, SocketCommand, SocketSession } from '@showroom/core';
import type { Subscription } from 'rxjs';
import { ExportEvents } from '../export-events';

/** Every export of the dealership (owners and admins). */
export const dealershipExportsRoom = (dealershipId: string) => `dealership:${dealershipId}:exports`;
/** One user's own exports (staff see only theirs). */
export const userExportsRoom = (dealershipId: string, userId: string) => `dealership:${dealershipId}:exports:user:${userId}`;

/**
 * exports.subscribe / exports.unsubscribe over the api's WebSocket: `export.progress`
 * `{ exportId, requestedBy, status, progress, sizeBytes, error }` for the caller's own
 * exports, or for every export of the dealership for owners and admins (as GET /exports
 * lists them). Every api pod receives every event on ExportEvents' Redis channel and
 * delivers to its own sockets (`emitLocal`), as documents.* does.
 */
@Injectable()
export class ExportProgressSocketCommands implements OnModuleDestroy {
  private progress?: Subscription;

  constructor(
    private readonly events: ExportEvents,
    private readonly rooms: RealtimeRooms,
  ) {}

  @SocketCommand('exports.subscribe')
  async subscribe(_command: unknown, session: SocketSession<Principal>) {
    const principal = session.principal;
    if (principal.kind !== 'user') throw new AppException(HttpStatus.FORBIDDEN, 'FORBIDDEN', 'API keys cannot follow exports.');
    this.followProgress();
    const admin = ADMIN_ROLES.includes(principal.role);
    await session.join(admin ? dealershipExportsRoom(principal.dealershipId) : userExportsRoom(principal.dealershipId, principal.userId));
    return { subscribed: true, scope: admin ? 'dealership' : 'mine' };
  }

  @SocketCommand('exports.unsubscribe')
  async unsubscribe(_command: unknown, session: SocketSession<Principal>) {
    const principal = session.principal;
    await session.leave(dealershipExportsRoom(principal.dealershipId));
    if (principal.kind === 'user') await session.leave(userExportsRoom(principal.dealershipId, principal.userId));
    return { subscribed: false };
  }

  onModuleDestroy(): void {
    this.progress?.unsubscribe();
  }

  private followProgress(): void {
    this.progress ??= this.events.streamAll().subscribe(({ dealershipId, ...event }) => {
      this.rooms.emitLocal(dealershipExportsRoom(dealershipId), 'export.progress', event);
      this.rooms.emitLocal(userExportsRoom(dealershipId, event.requestedBy), 'export.progress', event);
    });
  }
}
