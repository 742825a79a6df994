/**
 * Sending to a room of connections (joined through SocketSession.join). Provided by the api's
 * realtime gateway; a domain injects it (this class is the token) to fan events out.
 */
export abstract class RealtimeRooms {
  /**
   * Emits to the room's connections on THIS process only. For events every api process
   * already receives (for example from a Redis channel), so each delivers to its own
   * connections and nobody gets an event twice.
   */
  abstract emitLocal(room: string, event: string, data: unknown): void;
}
