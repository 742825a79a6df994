import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { ApiError } from '../api/api-error';
import type { Citation, MessageView } from '../api/types';

export interface AnswerHandlers {
  /** The assistant message's id, known from the first event's id (`<messageId>:<seq>`). */
  onMessageId?(messageId: string): void;
  onToken(delta: string): void;
  onCitations(citations: Citation[]): void;
  onDone(message: MessageView): void;
}

export interface AskOptions {
  conversationId: string;
  content: string;
  accessToken: () => Promise<string | null>;
  signal: AbortSignal;
  handlers: AnswerHandlers;
  /** Resume attempts after a dropped connection (each waits a little longer). */
  resumeAttempts?: number;
  fetchImpl?: typeof fetch;
}

/** Why a stream ended without `done`: the api's error envelope, or the connection. */
export class StreamError extends Error {
  constructor(readonly cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

const RETRY_DELAYS_MS = [250, 1000, 3000];

/**
 * Asks over SSE (POST with `Accept: text/event-stream`; EventSource cannot POST, so the
 * stream is read with fetch and parsed by eventsource-parser) and follows the answer to its
 * `done`. When the connection drops mid-answer the stream is picked up again at
 * GET /messages/:id/events with the last event id seen, so nothing is missed or repeated.
 * Aborting `signal` is Stop: the request is cancelled and the promise resolves quietly.
 */
export async function askWithStream(options: AskOptions): Promise<void> {
  const fetchImpl = options.fetchImpl ?? fetch;
  const state: { lastEventId?: string; finished: boolean } = { finished: false };
  const headers = async (extra: Record<string, string>) => {
    const token = await options.accessToken();
    return { Accept: 'text/event-stream', ...(token ? { Authorization: `Bearer ${token}` } : {}), ...extra };
  };

  const first = () =>
    headers({ 'Content-Type': 'application/json' }).then((h) =>
      fetchImpl(`/api/v1/conversations/${encodeURIComponent(options.conversationId)}/messages`, {
        method: 'POST',
        headers: h,
        body: JSON.stringify({ content: options.content }),
        signal: options.signal,
      }),
    );
  let attempt: () => Promise<Response> = first;
  const attempts = options.resumeAttempts ?? RETRY_DELAYS_MS.length;

  for (let tries = 0; ; tries += 1) {
    try {
      const response = await attempt();
      if (!response.ok) throw await ApiError.fromResponse(response);
      await readEvents(response, state, options.handlers);
      if (state.finished) return;
      throw new TypeError('The connection closed before the answer was complete.');
    } catch (error) {
      if (options.signal.aborted) return;
      if (error instanceof ApiError || !state.lastEventId || tries >= attempts) throw new StreamError(error);
      const lastEventId = state.lastEventId;
      const messageId = lastEventId.slice(0, lastEventId.lastIndexOf(':'));
      await wait(RETRY_DELAYS_MS[Math.min(tries, RETRY_DELAYS_MS.length - 1)], options.signal);
      if (options.signal.aborted) return;
      attempt = () =>
        headers({ 'Last-Event-ID': lastEventId }).then((h) =>
          fetchImpl(`/api/v1/messages/${encodeURIComponent(messageId)}/events`, { headers: h, signal: options.signal }),
        );
    }
  }
}

async function readEvents(response: Response, state: { lastEventId?: string; finished: boolean }, handlers: AnswerHandlers): Promise<void> {
  let failure: ApiError | undefined;
  let announced = false;
  const parser = createParser({
    onEvent(event: EventSourceMessage) {
      if (event.id) {
        state.lastEventId = event.id;
        if (!announced) {
          announced = true;
          handlers.onMessageId?.(event.id.slice(0, event.id.lastIndexOf(':')));
        }
      }
      const data = JSON.parse(event.data) as Record<string, unknown>;
      if (event.event === 'token') handlers.onToken(String(data.delta ?? ''));
      else if (event.event === 'citations') handlers.onCitations((data.citations as Citation[]) ?? []);
      else if (event.event === 'done') {
        state.finished = true;
        handlers.onDone(data.message as MessageView);
      } else if (event.event === 'error') {
        state.finished = true;
        failure = ApiError.fromEnvelope(500, data);
      }
    },
  });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    parser.feed(value);
    if (state.finished) {
      await reader.cancel().catch(() => undefined);
      break;
    }
  }
  if (failure) throw failure;
}

function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });
}
