import { describe, expect, it, vi } from 'vitest';
import { fakeApi, json, sse } from '../test/fake-api';
import { askWithStream, StreamError } from './answer-stream';

const handlers = () => ({ onMessageId: vi.fn(), onToken: vi.fn(), onCitations: vi.fn(), onDone: vi.fn() });
const done = { message: { id: 'm1', role: 'assistant', content: 'Five years [1].', citations: [], status: 'complete', createdAt: '' } };
const ask = (h: ReturnType<typeof handlers>, signal = new AbortController().signal) =>
  askWithStream({ conversationId: 'c1', content: 'How long?', accessToken: async () => 'tok', signal, handlers: h });

describe('askWithStream', () => {
  it('posts the question as an SSE request and hands over tokens, citations and done in order', async () => {
    const api = fakeApi({
      'POST /api/v1/conversations/c1/messages': () =>
        sse([
          { id: 'm1:1', event: 'token', data: { delta: 'Five ' } },
          { id: 'm1:2', event: 'token', data: { delta: 'years [1].' } },
          { id: 'm1:3', event: 'citations', data: { citations: [{ documentTitle: 'Warranty', page: 2 }] } },
          { id: 'm1:4', event: 'done', data: done },
        ]),
    });
    const h = handlers();
    await ask(h);
    const request = api.calls[0];
    expect(request.headers.get('Accept')).toBe('text/event-stream');
    expect(request.headers.get('Authorization')).toBe('Bearer tok');
    expect(await request.json()).toEqual({ content: 'How long?' });
    expect(h.onMessageId).toHaveBeenCalledWith('m1');
    expect(h.onToken.mock.calls.map((c) => c[0])).toEqual(['Five ', 'years [1].']);
    expect(h.onCitations).toHaveBeenCalledWith([{ documentTitle: 'Warranty', page: 2 }]);
    expect(h.onDone).toHaveBeenCalledWith(done.message);
  });

  it('resumes a dropped stream at GET /messages/:id/events with the last event id, so no token is lost or repeated', async () => {
    const api = fakeApi({
      'POST /api/v1/conversations/c1/messages': () => sse([{ id: 'm1:1', event: 'token', data: { delta: 'Five ' } }], { drop: true }),
      'GET /api/v1/messages/m1/events': () =>
        sse([
          { id: 'm1:2', event: 'token', data: { delta: 'years.' } },
          { id: 'm1:3', event: 'done', data: done },
        ]),
    });
    const h = handlers();
    await ask(h);
    const resume = api.route('GET /api/v1/messages/m1/events');
    expect(resume).toHaveLength(1);
    expect(resume[0].headers.get('Last-Event-ID')).toBe('m1:1');
    expect(h.onToken.mock.calls.map((c) => c[0]).join('')).toBe('Five years.');
    expect(h.onDone).toHaveBeenCalledTimes(1);
  });

  it("ends with the api's error in words: an error event, or a refused request (not retried)", async () => {
    const api = fakeApi({
      'POST /api/v1/conversations/c1/messages': () =>
        sse([{ id: 'm1:1', event: 'error', data: { error: { code: 'LLM_TIMEOUT', message: 'The model took too long to answer.' } } }]),
    });
    await expect(ask(handlers())).rejects.toThrow(StreamError);
    await expect(ask(handlers())).rejects.toThrow('The model took too long to answer.');

    api.fetchMock.mockResolvedValueOnce(json(503, { error: { code: 'SERVICE_BUSY', message: 'Too many answers at once; try again in a moment.' } }));
    await expect(ask(handlers())).rejects.toThrow('Too many answers at once');
    expect(api.route('GET /api/v1/messages/m1/events')).toHaveLength(0);
  });

  it('Stop aborts the request and resolves without an error', async () => {
    const abort = new AbortController();
    fakeApi({
      'POST /api/v1/conversations/c1/messages': (request) =>
        new Promise((_resolve, reject) => {
          const aborted = () => reject(new DOMException('aborted', 'AbortError'));
          if (request.signal.aborted) aborted();
          request.signal.addEventListener('abort', aborted);
        }),
    });
    const h = handlers();
    const asking = ask(h, abort.signal);
    abort.abort();
    await expect(asking).resolves.toBeUndefined();
    expect(h.onDone).not.toHaveBeenCalled();
  });
});
