import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { describeError } from '../api/api-error';
import { body } from '../api/client';
import type { ConversationSummary, ConversationView, MessageView } from '../api/types';
import { useAuth } from '../auth/auth-context';
import { ExportButton } from '../exports/export-button';
import { ErrorText } from '../layout/error-text';
import type { ChatMessage } from './chat-message';
import { CitationPanel } from './citation-panel';
import { Composer } from './composer';
import { MessageItem } from './message-item';
import { PushToTalkButton } from '../voice/push-to-talk-button';
import { useVoiceTurns } from '../voice/use-voice-turns';
import { useAnswerStream } from './use-answer-stream';

const fromView = (m: MessageView): ChatMessage => ({ key: m.id, id: m.id, role: m.role, content: m.content, citations: m.citations, status: m.status });

/**
 * The streamed question and answer, minus any pair the stored conversation already holds: the
 * refetch after `done` can render before the local copy is cleared, and the pair must not flash twice.
 */
function withoutStored(local: ChatMessage[], storedIds: Set<string | undefined>): ChatMessage[] {
  return local.filter((m, i) => {
    const answer = m.role === 'user' ? local[i + 1] : m;
    return !(answer?.id && storedIds.has(answer.id));
  });
}

/**
 * The stored messages minus any pair whose answer is streaming here: a read of the
 * conversation while the answer is written (opening a new conversation reads it at once)
 * holds the answer's row with no text yet, and the live copy must win until `done`.
 */
function withoutLive(stored: ChatMessage[], local: ChatMessage[]): ChatMessage[] {
  const live = new Set(local.filter((m) => m.role === 'assistant' && m.status === 'streaming' && m.id).map((m) => m.id));
  return stored.filter((m, i) => {
    const answer = m.role === 'user' ? stored[i + 1] : m;
    return !(answer?.id && live.has(answer.id));
  });
}

export function Thread({ conversationId }: { conversationId?: string }) {
  const { api } = useAuth();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [sendError, setSendError] = useState<unknown>(null);
  const [open, setOpen] = useState<{ message: ChatMessage; index: number; number: number } | null>(null);
  const conversation = useQuery({
    queryKey: ['conversation', conversationId],
    enabled: !!conversationId,
    queryFn: () => body<ConversationView>(api.GET('/api/v1/conversations/{id}', { params: { path: { id: conversationId! } } })),
  });
  const onFinished = useCallback(async () => {
    await Promise.all([queryClient.invalidateQueries({ queryKey: ['conversation'] }), queryClient.invalidateQueries({ queryKey: ['conversations'] })]);
  }, [queryClient]);
  const stream = useAnswerStream(onFinished);

  // A conversation this thread just created keeps its streaming answer; any other switch starts clean.
  const created = useRef<string | null>(null);
  const { reset } = stream;
  useEffect(() => {
    if (conversationId !== created.current) reset();
    setOpen(null);
  }, [conversationId, reset]);

  /** The open conversation, or a new one (opened) when the thread is empty. */
  const ensureConversation = async () => {
    if (conversationId) return conversationId;
    const id = (await body<ConversationSummary>(api.POST('/api/v1/conversations', { body: {} }))).id;
    created.current = id;
    await navigate(`/chat/${id}`);
    void queryClient.invalidateQueries({ queryKey: ['conversations'] });
    return id;
  };
  const voice = useVoiceTurns({ ensureConversation, onFinished });

  const send = async (content: string) => {
    setSendError(null);
    let id = conversationId;
    try {
      if (!id) {
        id = await ensureConversation();
      } else if (stream.local.length > 0) {
        // A stopped or failed answer is in the stored conversation now: show that, then ask.
        await queryClient.invalidateQueries({ queryKey: ['conversation', id] });
        reset();
      }
    } catch (error) {
      setSendError(error);
      return;
    }
    await stream.ask(id, content);
  };

  const end = useRef<HTMLDivElement>(null);
  const local = [...stream.local, ...voice.local];
  const stored = withoutLive(conversation.data?.messages.map(fromView) ?? [], local);
  const messages = [...stored, ...withoutStored(local, new Set(stored.map((m) => m.id)))];
  const last = messages.at(-1);
  // Braces on purpose: Chromium's scrollIntoView returns a promise, and an effect may only return a cleanup.
  useEffect(() => {
    void end.current?.scrollIntoView?.({ block: 'end' });
  }, [messages.length, last?.content]);

  return (
    <section className="thread" aria-label="Conversation">
      <ErrorText error={conversation.error} />
      {conversationId && conversation.data && conversation.data.messages.length > 0 && <ExportButton conversationId={conversationId} />}
      {messages.length === 0 && !conversation.isLoading && (
        <p className="muted empty-thread">Ask anything about the dealership's documents; answers cite their sources.</p>
      )}
      <ol className="messages" aria-live="polite" aria-relevant="additions">
        {messages.map((m) => (
          <MessageItem
            key={m.key}
            message={m}
            onOpenCitation={(message, index, number) => setOpen({ message, index, number })}
            onRetry={m.question && !stream.streaming ? () => void send(m.question!) : undefined}
          />
        ))}
      </ol>
      <div ref={end} />
      {open && open.message.citations[open.index] && (
        <CitationPanel citation={open.message.citations[open.index]} number={open.number} onClose={() => setOpen(null)} />
      )}
      {sendError ? <p role="alert" className="error-text">{describeError(sendError)}</p> : null}
      {voice.error && <p role="alert" className="error-text">{voice.error}</p>}
      {voice.unavailable && <p className="muted">Voice is not configured: {voice.unavailable}</p>}
      <Composer
        streaming={stream.streaming}
        onSend={(c) => void send(c)}
        onStop={stream.stop}
        voice={voice.unavailable ? null : <PushToTalkButton state={voice.state} onPress={voice.press} onRelease={voice.release} />}
      />
    </section>
  );
}
