import { useCallback, useRef, useState } from 'react';
import { describeError } from '../api/api-error';
import { freshAccessToken } from '../auth/token-refresher';
import { askWithStream, StreamError } from './answer-stream';
import type { ChatMessage } from './chat-message';

let nextKey = 0;
const newKey = () => `local-${(nextKey += 1)}`;

/**
 * The question being asked and its answer as it streams, kept beside the stored messages
 * until the conversation is read again. `stop()` aborts the request (the api keeps the partial
 * answer as interrupted once nobody resumes it).
 */
export function useAnswerStream(onFinished: () => Promise<void>) {
  const [local, setLocal] = useState<ChatMessage[]>([]);
  const [streaming, setStreaming] = useState(false);
  const controller = useRef<AbortController | null>(null);

  const ask = useCallback(
    async (conversationId: string, content: string) => {
      const abort = new AbortController();
      controller.current = abort;
      const answerKey = newKey();
      const update = (patch: (m: ChatMessage) => Partial<ChatMessage>) =>
        setLocal((all) => all.map((m) => (m.key === answerKey ? { ...m, ...patch(m) } : m)));
      setLocal((all) => [
        ...all,
        { key: newKey(), role: 'user', content, citations: [], status: 'complete' },
        { key: answerKey, role: 'assistant', content: '', citations: [], status: 'streaming', question: content },
      ]);
      setStreaming(true);
      try {
        await askWithStream({
          conversationId,
          content,
          accessToken: () => freshAccessToken(),
          signal: abort.signal,
          handlers: {
            onMessageId: (id) => update(() => ({ id })),
            onToken: (delta) => update((m) => ({ content: m.content + delta })),
            onCitations: (citations) => update(() => ({ citations })),
            onDone: (message) => update(() => ({ id: message.id, content: message.content, citations: message.citations, status: message.status })),
          },
        });
        if (abort.signal.aborted) update(() => ({ status: 'stopped' }));
        else {
          await onFinished();
          setLocal([]);
        }
      } catch (error) {
        update(() => ({ status: 'failed', error: describeError(error instanceof StreamError ? error.cause : error) }));
      } finally {
        setStreaming(false);
        controller.current = null;
      }
    },
    [onFinished],
  );

  const stop = useCallback(() => controller.current?.abort(), []);
  const reset = useCallback(() => setLocal([]), []);
  return { local, streaming, ask, stop, reset };
}
