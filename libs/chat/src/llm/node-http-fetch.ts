import http from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';

/**
 * A `fetch` for the openai SDK's `fetch` option, on node:http(s) with one keep-alive agent per
 * process, instead of Node's global fetch (undici's WHATWG fetch). Same wire requests, same
 * errors the SDK expects (a rejected promise for a connection failure, an `AbortError` when
 * its signal aborts); what differs is the CPU: undici's fetch builds a spec Request, header
 * lists and a byte stream per call, which made "opening the model request" the largest
 * per-answer cost the api had in a burst of answers (BENCHMARKS.md, "chat under load, third
 * pass": 3.6-4.1 ms of CPU per streamed answer through the SDK on undici's fetch against
 * 2.8-2.9 ms through this, same SDK, same upstream).
 *
 * Only what the SDK's chat completions need: string or byte bodies (anything else, such as a
 * multipart upload, goes to the global fetch), no redirects (the OpenAI-compatible APIs do not
 * redirect a POST), gzip/deflate/br decoded if a server compresses anyway.
 */
const agents = {
  'http:': new http.Agent({ keepAlive: true }),
  'https:': new https.Agent({ keepAlive: true }),
};

/**
 * The Node stream behind a Response this fetch made (its body, decoded). `response.body` is a
 * web stream that starts reading this only when someone reads it (the SDK does, for an error's
 * body); a caller that reads the Node stream directly instead (OpenAiChatLlm, for a streamed
 * answer) takes whatever arrived since its last read in one `read()`.
 */
const nodeBodies = new WeakMap<Response, Readable>();

export function nodeBodyOf(response: Response): Readable | undefined {
  return nodeBodies.get(response);
}

/** A web stream over `stream` that attaches to it only on the first read. */
function lazyWebBody(stream: Readable): ReadableStream<Uint8Array> {
  let iterator: AsyncIterator<Buffer> | undefined;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        iterator ??= stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
        const next = await iterator.next();
        if (next.done) controller.close();
        else controller.enqueue(new Uint8Array(next.value.buffer, next.value.byteOffset, next.value.byteLength));
      },
      cancel(reason) {
        stream.destroy(reason instanceof Error ? reason : undefined);
      },
    },
    { highWaterMark: 0 },
  );
}

/** Statuses whose Response may not have a body. */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

export function nodeHttpFetch(input: string | URL | Request, init: RequestInit = {}): Promise<Response> {
  const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
  const body = init.body;
  const plainBody = body === undefined || body === null || typeof body === 'string' || body instanceof Uint8Array || body instanceof ArrayBuffer;
  if (typeof input === 'object' && !(input instanceof URL)) return fetch(input, init);
  if (!plainBody || (url.protocol !== 'http:' && url.protocol !== 'https:')) return fetch(input, init);
  const payload = body instanceof ArrayBuffer ? new Uint8Array(body) : (body ?? undefined);
  const headers: Record<string, string> = {};
  new Headers(init.headers).forEach((value, name) => {
    headers[name] = value;
  });
  if (payload !== undefined) headers['content-length'] = String(typeof payload === 'string' ? Buffer.byteLength(payload) : payload.byteLength);
  const signal = init.signal ?? undefined;
  return new Promise<Response>((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError(signal));
      return;
    }
    const request = (url.protocol === 'https:' ? https : http).request(
      url,
      { method: init.method ?? 'GET', headers, agent: agents[url.protocol as 'http:' | 'https:'], signal },
      (res) => {
        const status = res.statusCode ?? 0;
        const responseHeaders = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          if (value === undefined) continue;
          if (Array.isArray(value)) for (const one of value) responseHeaders.append(name, one);
          else responseHeaders.set(name, value);
        }
        if (NULL_BODY.has(status) || init.method === 'HEAD') {
          res.resume();
          resolve(new Response(null, { status, statusText: res.statusMessage, headers: responseHeaders }));
          return;
        }
        const decoded = decode(res, res.headers['content-encoding']);
        if (decoded !== res) {
          responseHeaders.delete('content-encoding');
          responseHeaders.delete('content-length');
        }
        const response = new Response(lazyWebBody(decoded), { status, statusText: res.statusMessage, headers: responseHeaders });
        nodeBodies.set(response, decoded);
        resolve(response);
      },
    );
    request.on('error', (error) => reject(signal?.aborted ? abortError(signal) : error));
    request.end(payload);
  });
}

function decode(res: http.IncomingMessage, encoding: string | undefined): Readable {
  const kind = encoding?.trim().toLowerCase();
  const decoder = kind === 'gzip' || kind === 'x-gzip' ? zlib.createGunzip() : kind === 'deflate' ? zlib.createInflate() : kind === 'br' ? zlib.createBrotliDecompress() : undefined;
  if (!decoder) return res;
  res.on('error', (error) => decoder.destroy(error));
  return res.pipe(decoder);
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error && signal.reason.name === 'AbortError' ? signal.reason : new DOMException('This operation was aborted', 'AbortError');
}
