import { vi } from 'vitest';

type Handler = (request: Request) => Response | Promise<Response>;

export const json = (status: number, body: unknown) => new Response(status === 204 ? null : JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

export const envelope = (status: number, code: string, message: string, details: { field?: string; message: string }[] = []) =>
  json(status, { error: { code, message, requestId: 'req-1', details } });

/** An SSE body written chunk by chunk; `close: false` leaves it open, `drop: true` ends it mid-answer. */
export function sse(events: { id?: string; event: string; data: unknown }[], { drop = false } = {}): Response {
  const text = events.map((e) => `${e.id ? `id: ${e.id}\n` : ''}event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`);
  let next = 0;
  // One event per read, then the end (or, for a drop, a network error once the events are read).
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (next < text.length) controller.enqueue(new TextEncoder().encode(text[next++]));
      else if (drop) controller.error(new TypeError('network error'));
      else controller.close();
    },
  });
  return new Response(stream, { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
}

/**
 * A stand-in for the api at the fetch boundary: routes are "METHOD /path" (no query), each
 * answering with a Response. Unknown routes answer the api's 404 envelope, as the api would.
 */
export function fakeApi(routes: Record<string, Handler>) {
  const calls: Request[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(new URL(String(input), window.location.origin), init);
    calls.push(request.clone());
    const url = new URL(request.url);
    const handler = routes[`${request.method} ${url.pathname}`];
    return handler ? handler(request) : envelope(404, 'NOT_FOUND', 'No such resource.');
  });
  vi.stubGlobal('fetch', fetchMock);
  return { calls, fetchMock, route: (key: string) => calls.filter((c) => `${c.method} ${new URL(c.url).pathname}` === key) };
}
