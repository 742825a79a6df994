/**
 * One client connection as a domain's socket commands see it, whatever the transport (the api
 * serves it with socket.io). The same object stands for the connection for its whole life, so
 * a domain may key per-connection state by it; `closed` says when to let that state go.
 */
export interface SocketSession<Principal = unknown> {
  /** The connection's id, for logs. */
  readonly id: string;
  /** Who is connected: verified at the handshake and again just before every command. */
  readonly principal: Principal;
  /** Aborts when the connection ends (client left, credential refused, pod draining). */
  readonly closed: AbortSignal;
  /** Sends an event to this connection only. */
  emit(event: string, data: unknown): void;
  /**
   * Takes the client's binary frames of `event` (`socket.emit(event, arrayBuffer)`) straight to
   * `handler`, outside the command path: no payload validation, credential re-check or command
   * limit per frame, because a stream such as microphone audio sends ~50 frames a second and
   * the command that opened it was checked. One handler per event; returns the function that
   * stops it. Frames of the event that are not binary still go to the commands.
   */
  receiveBinary(event: string, handler: (frame: Buffer) => void): () => void;
  /** Adds or removes this connection to or from a room; see RealtimeRooms for sending to one. */
  join(room: string): Promise<void>;
  leave(room: string): Promise<void>;
}
