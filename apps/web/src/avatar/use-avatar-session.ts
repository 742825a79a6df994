import { useCallback, useEffect, useRef, useState } from 'react';
import type { RemoteTrack } from 'livekit-client';
import { ApiError, describeError } from '../api/api-error';
import type { AvatarRoom } from './avatar-room';
import {
  createAvatarSession,
  endAvatarSession,
  endAvatarSessionOnExit,
  getAvatarSession,
  interruptAvatar,
  keepAvatarAlive,
  speakToAvatar,
  type AvatarSessionView,
  type ClientCommand,
} from './avatar-api';

/** The api ends sessions whose client has not shown itself for a while; 30 s is well inside it. */
export const KEEP_ALIVE_MS = 30_000;

export type AvatarPanelState =
  | { kind: 'off' }
  | { kind: 'not-configured'; message: string }
  | { kind: 'starting' }
  | { kind: 'live'; session: AvatarSessionView; speaking: boolean; said: string }
  | { kind: 'ended'; reason: string | null };

/**
 * One avatar session for the chat page: create it, join its LiveKit room, keep it alive,
 * speak answers over SSE (relaying FULL mode's `agent-control` commands), interrupt, and end
 * it when asked, when the page unmounts and on pagehide (a keepalive fetch).
 */
export function useAvatarSession({ conversationId, onTrack, onAnswered }: { conversationId?: string; onTrack: (track: RemoteTrack) => void; onAnswered: (conversationId: string) => void }) {
  const [state, setState] = useState<AvatarPanelState>({ kind: 'off' });
  const [error, setError] = useState<string | null>(null);
  const session = useRef<AvatarSessionView | null>(null);
  const room = useRef<AvatarRoom | null>(null);

  const relay = useCallback((command?: ClientCommand) => {
    if (command && room.current) void room.current.publish(command.payload).catch((e: unknown) => setError(describeError(e)));
  }, []);

  const ended = useCallback((reason: string | null) => {
    session.current = null;
    void room.current?.leave();
    room.current = null;
    setState({ kind: 'ended', reason });
  }, []);

  /** A call answered 409 AVATAR_SESSION_ENDED: read the row once for the reason. */
  const onSessionError = useCallback(
    async (caught: unknown) => {
      const current = session.current;
      if (current && caught instanceof ApiError && caught.code === 'AVATAR_SESSION_ENDED') {
        const view = await getAvatarSession(current.id).catch(() => null);
        ended(view?.endReason ?? null);
      } else setError(describeError(caught));
    },
    [ended],
  );

  const start = useCallback(async () => {
    setError(null);
    setState({ kind: 'starting' });
    try {
      const created = await createAvatarSession(conversationId);
      session.current = created;
      if (created.livekitUrl && created.livekitToken) {
        try {
          // livekit-client is most of a bundle; only a started avatar downloads it.
          const { joinAvatarRoom } = await import('./avatar-room');
          room.current = await joinAvatarRoom(created.livekitUrl, created.livekitToken, { onTrack, onDisconnected: () => undefined });
        } catch (caught) {
          // No room, no face: end the vendor session rather than bill for it.
          await endAvatarSession(created.id).catch(() => undefined);
          session.current = null;
          setState({ kind: 'off' });
          setError(`Could not join the avatar's room: ${describeError(caught)}`);
          return;
        }
      }
      setState({ kind: 'live', session: created, speaking: false, said: '' });
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === 'AVATAR_NOT_CONFIGURED') setState({ kind: 'not-configured', message: caught.message });
      else {
        setState({ kind: 'off' });
        setError(describeError(caught));
      }
    }
  }, [conversationId, onTrack]);

  const speak = useCallback(
    async (content: string) => {
      const current = session.current;
      if (!current) return;
      setError(null);
      setState({ kind: 'live', session: current, speaking: true, said: '' });
      try {
        await speakToAvatar(current.id, content, {
          onSpeaking: (event) => {
            relay(event.clientCommand);
            setState((s) => (s.kind === 'live' ? { ...s, said: `${s.said}${s.said ? ' ' : ''}${event.text}` } : s));
          },
          onEnded: (reason) => ended(reason),
          onError: (e) => setError(describeError(e)),
        });
        onAnswered(current.conversationId);
      } catch (caught) {
        await onSessionError(caught);
      } finally {
        setState((s) => (s.kind === 'live' ? { ...s, speaking: false } : s));
      }
    },
    [ended, onAnswered, onSessionError, relay],
  );

  const interrupt = useCallback(async () => {
    const current = session.current;
    if (!current) return;
    try {
      relay((await interruptAvatar(current.id)).clientCommand);
    } catch (caught) {
      await onSessionError(caught);
    }
  }, [onSessionError, relay]);

  const end = useCallback(async () => {
    const current = session.current;
    if (!current) return;
    const view = await endAvatarSession(current.id).catch(() => null);
    ended(view?.endReason ?? 'client');
  }, [ended]);

  // Keep-alive while live; pagehide ends the session even if React never unmounts.
  const live = state.kind === 'live';
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => {
      const current = session.current;
      if (current) keepAvatarAlive(current.id).catch(onSessionError);
    }, KEEP_ALIVE_MS);
    const onPageHide = () => {
      if (session.current) endAvatarSessionOnExit(session.current.id);
    };
    window.addEventListener('pagehide', onPageHide);
    return () => {
      clearInterval(timer);
      window.removeEventListener('pagehide', onPageHide);
    };
  }, [live, onSessionError]);

  useEffect(
    () => () => {
      if (session.current) endAvatarSessionOnExit(session.current.id);
      void room.current?.leave();
    },
    [],
  );

  return { state, error, start: () => void start(), speak: (c: string) => void speak(c), interrupt: () => void interrupt(), end: () => void end() };
}
