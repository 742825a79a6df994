import { useQueryClient } from '@tanstack/react-query';
import type { RemoteTrack } from 'livekit-client';
import { useCallback, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { useAvatarSession } from './use-avatar-session';

const END_REASONS: Record<string, string> = {
  client: 'you ended it',
  idle: 'it was idle too long',
  client_gone: 'the page stopped answering',
  max_duration: 'it reached its time limit',
  quota_exhausted: "the dealership's avatar minutes ran out",
  provider_closed: 'the avatar service closed it',
  provider_closing: 'the avatar service closed it',
  provider_dropped: 'the avatar service dropped it',
  start_failed: 'it could not start',
};

/** The talking avatar beside the chat: its video, a question box it answers aloud, Interrupt and End. */
export function AvatarPanel({ conversationId }: { conversationId?: string }) {
  const media = useRef<HTMLDivElement>(null);
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [question, setQuestion] = useState('');
  const onTrack = useCallback((track: RemoteTrack) => {
    const element = track.attach();
    media.current?.append(element);
  }, []);
  const onAnswered = useCallback(
    (id: string) => {
      void queryClient.invalidateQueries({ queryKey: ['conversation'] });
      void queryClient.invalidateQueries({ queryKey: ['conversations'] });
      if (id !== conversationId) void navigate(`/chat/${id}`);
    },
    [conversationId, navigate, queryClient],
  );
  const avatar = useAvatarSession({ conversationId, onTrack, onAnswered });
  const { state } = avatar;

  return (
    <aside className="avatar-area" aria-label="Avatar">
      <div ref={media} className="avatar-media" aria-label="Avatar video" />
      {state.kind === 'not-configured' && (
        <p role="status" className="muted">
          The avatar is not configured. {state.message}
        </p>
      )}
      {(state.kind === 'off' || state.kind === 'ended') && (
        <>
          {state.kind === 'ended' && <p role="status">The avatar session ended{state.reason ? `: ${END_REASONS[state.reason] ?? state.reason}` : ''}.</p>}
          <button type="button" onClick={avatar.start}>
            Start avatar
          </button>
        </>
      )}
      {state.kind === 'starting' && <p role="status">Starting the avatar…</p>}
      {state.kind === 'live' && (
        <>
          <form
            className="avatar-ask"
            onSubmit={(e) => {
              e.preventDefault();
              if (!question.trim() || state.speaking) return;
              avatar.speak(question.trim());
              setQuestion('');
            }}
          >
            <label>
              Ask the avatar
              <input value={question} onChange={(e) => setQuestion(e.target.value)} />
            </label>
            <button type="submit" disabled={state.speaking || !question.trim()}>
              Ask
            </button>
          </form>
          {state.said && <p className="avatar-said">{state.said}</p>}
          <div className="row">
            <button type="button" onClick={avatar.interrupt} disabled={!state.speaking}>
              Interrupt
            </button>
            <button type="button" onClick={avatar.end}>
              End avatar
            </button>
          </div>
        </>
      )}
      {avatar.error && (
        <p role="alert" className="error-text">
          {avatar.error}
        </p>
      )}
    </aside>
  );
}
