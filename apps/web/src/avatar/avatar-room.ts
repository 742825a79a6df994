import { Room, RoomEvent, Track, type RemoteTrack } from 'livekit-client';

export interface AvatarRoom {
  /** LiveAvatar FULL mode: the api's command, published unchanged on `agent-control`. */
  publish(payload: unknown): Promise<void>;
  leave(): Promise<void>;
}

/**
 * Joins the vendor's LiveKit room with the browser's token and hands on the avatar's video
 * and audio tracks as they are subscribed. The console only watches and relays commands: it
 * publishes no camera or microphone.
 */
export async function joinAvatarRoom(
  url: string,
  token: string,
  handlers: { onTrack(track: RemoteTrack): void; onDisconnected(): void },
): Promise<AvatarRoom> {
  const room = new Room({ adaptiveStream: true });
  room.on(RoomEvent.TrackSubscribed, (track) => {
    if (track.kind === Track.Kind.Video || track.kind === Track.Kind.Audio) handlers.onTrack(track);
  });
  room.on(RoomEvent.Disconnected, () => handlers.onDisconnected());
  await room.connect(url, token);
  return {
    async publish(payload) {
      await room.localParticipant.publishData(new TextEncoder().encode(JSON.stringify(payload)), { reliable: true, topic: 'agent-control' });
    },
    async leave() {
      await room.disconnect();
    },
  };
}
