import type { Principal } from '@showroom/auth';
import type { SocketSession } from '@showroom/core';
import type { Socket } from 'socket.io';

/** What the gateway keeps on a socket.io socket: the credential (re-verified) and the principal it last gave. */
export interface SocketData {
  principal: Principal;
  credential: string;
}

/** A socket.io connection as the domains' socket commands see it (one per connection, for its whole life). */
export class SocketIoSession implements SocketSession<Principal> {
  private readonly ended = new AbortController();

  constructor(private readonly socket: Socket) {
    socket.once('disconnect', () => this.ended.abort());
    // Disconnect may have come before this session was made.
    if (socket.disconnected) this.ended.abort();
  }

  get id(): string {
    return this.socket.id;
  }

  get principal(): Principal {
    return (this.socket.data as SocketData).principal;
  }

  get closed(): AbortSignal {
    return this.ended.signal;
  }

  emit(event: string, data: unknown): void {
    this.socket.emit(event, data);
  }

  async join(room: string): Promise<void> {
    await this.socket.join(room);
  }

  async leave(room: string): Promise<void> {
    await this.socket.leave(room);
  }
}
