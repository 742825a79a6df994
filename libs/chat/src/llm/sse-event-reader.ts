/** One server-sent event: its `event:` name (null when it has none) and its `data:` lines joined with "\n". */
export interface ServerSentEvent {
  event: string | null;
  data: string;
}

/**
 * Splits a byte stream of server-sent events into events, chunk by chunk, with the rules the
 * openai SDK's decoder applies (SSEDecoder, LineDecoder): lines end with "\n", "\r\n" or "\r";
 * a blank line ends an event; `event:` names it, `data:` lines are joined with "\n", one space
 * after the colon is dropped, comments (":") and other fields are ignored; an event with
 * neither a name nor data is skipped; a last event without its blank line is not an event.
 * UTF-8 split across chunks is decoded whole. Returns all the events a chunk completes at once,
 * so a read that brought several tokens costs one call.
 */
export class SseEventReader {
  private readonly decoder = new TextDecoder();
  private buffer = '';
  private event: string | null = null;
  private data: string[] = [];

  push(bytes: Uint8Array): ServerSentEvent[] {
    let text = this.buffer + this.decoder.decode(bytes, { stream: true });
    const out: ServerSentEvent[] = [];
    // A "\r" at the very end may be the first half of "\r\n": wait for the next chunk.
    let keep = '';
    if (text.endsWith('\r')) {
      keep = '\r';
      text = text.slice(0, -1);
    }
    if (text.includes('\r')) text = text.replace(/\r\n?/g, '\n');
    let start = 0;
    for (let end = text.indexOf('\n', start); end !== -1; end = text.indexOf('\n', start)) {
      this.line(text.slice(start, end), out);
      start = end + 1;
    }
    this.buffer = text.slice(start) + keep;
    return out;
  }

  private line(line: string, out: ServerSentEvent[]): void {
    if (line === '') {
      if (this.event || this.data.length > 0) out.push({ event: this.event, data: this.data.join('\n') });
      this.event = null;
      this.data = [];
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.event = value;
    else if (field === 'data') this.data.push(value);
  }
}
