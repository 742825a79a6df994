import { useEffect, useRef, useState } from 'react';
import { describeError } from '../api/api-error';
import { PcmPlayer } from './pcm-player';
import { readAloud } from './read-aloud';

/** Reads an answer aloud; pressed again while playing, it stops. */
export function ReadAloudButton({ text }: { text: string }) {
  const player = useRef<PcmPlayer | null>(null);
  const abort = useRef<AbortController | null>(null);
  const [playing, setPlaying] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const stop = () => {
    abort.current?.abort();
    abort.current = null;
    player.current?.flush();
    setPlaying(false);
  };
  useEffect(() => () => stop(), []);

  const start = () => {
    setError(null);
    // Created and unlocked inside the click: audio may only start from a gesture.
    player.current ??= new PcmPlayer();
    player.current.unlock();
    const controller = new AbortController();
    abort.current = controller;
    setPlaying(true);
    let received = false;
    const idle = () => {
      if (received) setPlaying(false);
    };
    readAloud(text, player.current, controller.signal, idle)
      .then(() => {
        received = true;
        if (!player.current?.active) setPlaying(false);
      })
      .catch((caught: unknown) => {
        if (controller.signal.aborted) return;
        setPlaying(false);
        setError(describeError(caught));
      });
  };

  return (
    <>
      <button type="button" onClick={playing ? stop : start} aria-pressed={playing}>
        {playing ? 'Stop reading' : 'Read aloud'}
      </button>
      {error && (
        <span role="alert" className="error-text">
          {error}
        </span>
      )}
    </>
  );
}
