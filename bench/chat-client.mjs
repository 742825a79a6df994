// The one SSE client of the chat benchmark: the same code reads Showroom's answer stream
// (`event: token` … `event: done`) and the fake upstream's OpenAI stream (`data: {chunk}` …
// `data: [DONE]`), so the two are compared like for like. node:http with a keep-alive agent
// allowing 2,000 sockets, so 1,000 concurrent streams are never queued inside the client.
import { Agent, request } from 'node:http';

export const agent = new Agent({ keepAlive: true, maxSockets: 2000, maxTotalSockets: 2000 });

/**
 * POSTs `body` to `url` and reads the SSE response. Resolves (never rejects) to
 * `{ status, startedAt, tokenTimes, ended, error?, doneData? }`: tokenTimes are
 * performance.now() stamps of each non-empty token, ended is true when the stream's terminal
 * event (`done`, or `[DONE]`) arrived.
 */
export function streamOnce(url, { headers = {}, body, timeoutMs = 180_000 }) {
  const target = new URL(url);
  const payload = JSON.stringify(body);
  const startedAt = performance.now();
  const result = { status: 0, startedAt, tokenTimes: [], ended: false, error: undefined, doneData: undefined, events: {} };
  return new Promise((resolve) => {
    let settled = false;
    const finish = (error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error && !result.error) result.error = error;
      resolve(result);
    };
    const req = request(
      {
        agent,
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream', 'content-length': Buffer.byteLength(payload), ...headers },
      },
      (res) => {
        result.status = res.statusCode;
        res.setEncoding('utf8');
        let buffer = '';
        let errorBody = '';
        const isStream = (res.headers['content-type'] ?? '').includes('text/event-stream');
        res.on('data', (text) => {
          if (!isStream) {
            errorBody += text;
            return;
          }
          const now = performance.now();
          buffer += text;
          let end;
          while ((end = buffer.indexOf('\n\n')) !== -1) {
            onEvent(buffer.slice(0, end), now);
            buffer = buffer.slice(end + 2);
          }
        });
        res.on('end', () => finish(isStream ? (result.ended ? undefined : 'stream ended without done') : `HTTP ${res.statusCode}: ${errorBody.slice(0, 200)}`));
        res.on('error', (error) => finish(`response: ${error.code ?? error.message}`));
      },
    );
    const timer = setTimeout(() => {
      finish(`no end after ${timeoutMs} ms`);
      req.destroy();
    }, timeoutMs);
    req.on('error', (error) => finish(`request: ${error.code ?? error.message}`));
    req.end(payload);

    function onEvent(block, now) {
      let event = 'message';
      let data = '';
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data += line.slice(5).trimStart();
      }
      if (data === '') return; // a comment (keep-alive)
      result.events[event] = (result.events[event] ?? 0) + 1;
      if (data === '[DONE]') {
        result.ended = true;
        return;
      }
      const parsed = JSON.parse(data);
      if (event === 'token') {
        if (parsed.delta) result.tokenTimes.push(now);
      } else if (event === 'done') {
        result.ended = true;
        result.doneData = parsed;
      } else if (event === 'error') {
        result.error = `error event: ${parsed.error?.code ?? 'unknown'}`;
      } else if (event === 'message' && parsed.choices?.[0]?.delta?.content) {
        result.tokenTimes.push(now);
      }
    }
  });
}

/** Nearest-rank percentiles (ms, one decimal) of a list of values. */
export function pct(values, p) {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  return Number(sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)].toFixed(1));
}
