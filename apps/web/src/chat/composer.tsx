import { useState, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';

/** The message box: Enter sends, Shift+Enter starts a new line; Stop while an answer streams. */
/** `voice` is the push-to-talk control, when voice is available. */
export function Composer({ streaming, onSend, onStop, voice }: { streaming: boolean; onSend: (content: string) => void; onStop: () => void; voice?: ReactNode }) {
  const [content, setContent] = useState('');
  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    const text = content.trim();
    if (!text || streaming) return;
    onSend(text);
    setContent('');
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey) submit(event);
  };
  return (
    <form className="composer" onSubmit={submit}>
      <label htmlFor="message">Message</label>
      <textarea id="message" rows={2} value={content} onChange={(e) => setContent(e.target.value)} onKeyDown={onKeyDown} placeholder="Ask about the dealership's documents" />
      <div className="composer-buttons">
        {voice}
        {streaming ? (
          <button type="button" onClick={onStop} className="stop">
            Stop
          </button>
        ) : (
          <button type="submit" disabled={!content.trim()}>
            Send
          </button>
        )}
      </div>
    </form>
  );
}
