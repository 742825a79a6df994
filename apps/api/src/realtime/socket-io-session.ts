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
  private readonly binary = new Map<string, (frame: Buffer) => void>();

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

  receiveBinary(event: string, handler: (frame: Buffer) => void): () => void {
    this.binary.set(event, handler);
    return () => {
      if (this.binary.get(event) === handler) this.binary.delete(event);
    };
  }

  /** Hands a binary frame to its receiver; false when the frame is not binary or nobody receives this event. */
  deliverBinary(event: string, frame: unknown): boolean {
    const handler = this.binary.get(event);
    if (!handler) return false;
    // socket.io gives a Node server Buffers; browsers may send ArrayBuffers or typed arrays.
    if (Buffer.isBuffer(frame)) handler(frame);
    else if (frame instanceof ArrayBuffer) handler(Buffer.from(frame));
    else if (ArrayBuffer.isView(frame)) handler(Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength));
    else return false;
    return true;
  }

  async join(room: string): Promise<void> {
    await this.socket.join(room);
  }

  async leave(room: string): Promise<void> {
    await this.socket.leave(room);
  }
}
