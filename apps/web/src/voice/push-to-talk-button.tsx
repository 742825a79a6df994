import type { KeyboardEvent } from 'react';
import type { VoiceState } from './use-voice-turns';

const STATUS: Record<VoiceState, string> = {
  idle: '',
  starting: 'Starting the microphone…',
  listening: 'Listening… release to send.',
  thinking: 'Answering… tap to interrupt.',
  speaking: 'Speaking… tap to interrupt.',
};

/** Hold (pointer, Space or Enter) to talk; release to send. Hidden when voice is not configured. */
export function PushToTalkButton({ state, onPress, onRelease }: { state: VoiceState; onPress: () => void; onRelease: () => void }) {
  const key = (event: KeyboardEvent, down: boolean) => {
    if (event.key !== ' ' && event.key !== 'Enter') return;
    event.preventDefault();
    if (down && !event.repeat) onPress();
    if (!down) onRelease();
  };
  return (
    <>
      <button
        type="button"
        className="push-to-talk"
        aria-pressed={state === 'listening' || state === 'starting'}
        onPointerDown={(e) => {
          e.currentTarget.setPointerCapture?.(e.pointerId);
          onPress();
        }}
        onPointerUp={onRelease}
        onPointerCancel={onRelease}
        onKeyDown={(e) => key(e, true)}
        onKeyUp={(e) => key(e, false)}
      >
        Push to talk
      </button>
      <span role="status" className="voice-status muted">
        {STATUS[state]}
      </span>
    </>
  );
}
