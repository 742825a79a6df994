import { createParser } from 'eventsource-parser';

export interface SseEvent {
  id: string | undefined;
  event: string;
  data: unknown;
}

/**
 * Reads a Server-Sent Events response as a browser client would (fetch + a spec-compliant
 * parser), optionally stopping after `stopAfter` events by aborting the request — a dropped
 * connection, as far as the server can tell.
 */
export async function readSse(
  url: string,
  init: RequestInit & { stopAfter?: number },
): Promise<{ status: number; events: SseEvent[]; contentType: string | null; body?: unknown }> {
  const controller = new AbortController();
  const res = await fetch(url, { ...init, signal: controller.signal });
  const contentType = res.headers.get('content-type');
  if (!contentType?.includes('text/event-stream')) return { status: res.status, events: [], contentType, body: await res.json().catch(() => undefined) };
  const events: SseEvent[] = [];
  const parser = createParser({ onEvent: (e) => events.push({ id: e.id, event: e.event ?? 'message', data: JSON.parse(e.data) }) });
  const decoder = new TextDecoder();
  const reader = res.body!.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      parser.feed(decoder.decode(value, { stream: true }));
      if (init.stopAfter !== undefined && events.length >= init.stopAfter) {
        controller.abort();
        events.length = init.stopAfter;
        break;
      }
    }
  } catch (error) {
    if ((error as Error).name !== 'AbortError') throw error;
  }
  return { status: res.status, events, contentType };
}

/** The text of an answer's token events, in order. */
export const tokensOf = (events: SseEvent[]) =>
  events.filter((e) => e.event === 'token').map((e) => (e.data as { delta: string }).delta).join('');
