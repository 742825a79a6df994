import { SseEventReader } from './sse-event-reader';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('SseEventReader', () => {
  it('returns every event a chunk completes, and keeps the rest for the next chunk', () => {
    const reader = new SseEventReader();
    expect(reader.push(bytes('data: {"a":1}\n\ndata: {"b":2}\n\nda'))).toEqual([
      { event: null, data: '{"a":1}' },
      { event: null, data: '{"b":2}' },
    ]);
    expect(reader.push(bytes('ta: [DONE]\n'))).toEqual([]);
    expect(reader.push(bytes('\n'))).toEqual([{ event: null, data: '[DONE]' }]);
  });

  it('reads \\r\\n and \\r line ends, also when \\r\\n is split between chunks', () => {
    const reader = new SseEventReader();
    expect(reader.push(bytes('event: error\r\ndata: x\r'))).toEqual([]);
    expect(reader.push(bytes('\n\r\ndata: y\r\r'))).toEqual([{ event: 'error', data: 'x' }]);
    // The last "\r" may be half of "\r\n": the event ends with the next chunk.
    expect(reader.push(bytes('\n'))).toEqual([{ event: null, data: 'y' }]);
  });

  it('joins data lines, ignores comments and other fields, and skips empty events', () => {
    const reader = new SseEventReader();
    expect(reader.push(bytes(': keep-alive\n\nid: 7\nretry: 10\ndata:one\ndata:  two\n\n'))).toEqual([{ event: null, data: 'one\n two' }]);
  });

  it('decodes a UTF-8 character split between chunks whole', () => {
    const reader = new SseEventReader();
    const all = bytes('data: {"delta":"€"}\n\n');
    const cut = all.indexOf(0xe2) + 1;
    expect(reader.push(all.slice(0, cut))).toEqual([]);
    expect(reader.push(all.slice(cut))).toEqual([{ event: null, data: '{"delta":"€"}' }]);
  });
});
