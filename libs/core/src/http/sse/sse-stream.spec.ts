import { once } from 'node:events';
import { ClientRequest, IncomingMessage, Server, ServerResponse, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { ShutdownState } from '../../lifecycle/shutdown-state';
import { SseStream, SseStreamOptions, formatEvent } from './sse-stream';

/** A real HTTP server and client on loopback: each test gets the server's response and the client's. */
async function connect(options: SseStreamOptions = {}) {
  const server: Server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const serverSide = once(server, 'request') as Promise<[IncomingMessage, ServerResponse]>;
  const req: ClientRequest = request({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, path: '/' });
  req.end();
  const [, res] = await serverSide;
  const stream = new SseStream(res, options);
  const response = () => once(req, 'response').then(([r]) => r as IncomingMessage);
  const close = async () => {
    req.destroy();
    server.closeAllConnections();
    server.close();
    await once(server, 'close');
  };
  return { stream, res, req, response, close };
}

async function bodyOf(res: IncomingMessage): Promise<string> {
  res.setEncoding('utf8');
  let body = '';
  for await (const chunk of res) body += chunk as string;
  return body;
}

describe('SseStream', () => {
  it('sends the event-stream headers with the first event and writes id, event and data in that order', async () => {
    const c = await connect();
    try {
      expect(c.stream.opened).toBe(false);
      const received = c.response();
      await c.stream.send({ id: 'm1:1', event: 'token', data: { delta: 'Hi' } });
      await c.stream.send({ data: 'two\nlines' });
      c.stream.end({ data: '[DONE]' });
      const res = await received;
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
      expect(res.headers['cache-control']).toBe('no-cache, no-transform');
      expect(res.headers['x-accel-buffering']).toBe('no');
      expect(await bodyOf(res)).toBe('id: m1:1\nevent: token\ndata: {"delta":"Hi"}\n\ndata: two\ndata: lines\n\ndata: [DONE]\n\n');
      expect(c.stream.clientGone.aborted).toBe(false);
    } finally {
      await c.close();
    }
  });

  it('refuses an id or event name with a line break (it would forge events)', () => {
    expect(() => formatEvent({ event: 'token\ndata: x', data: {} })).toThrow('line break');
  });

  it('writes a keep-alive comment while idle', async () => {
    const c = await connect({ heartbeatMs: 20 });
    try {
      c.stream.open();
      const res = await c.response();
      res.setEncoding('utf8');
      let body = '';
      res.on('data', (chunk: string) => (body += chunk));
      await sleep(90);
      expect(body.split(': keep-alive\n\n').length - 1).toBeGreaterThanOrEqual(2);
      const ended = once(res, 'end');
      c.stream.end();
      // Snapshot once the client has read the end: a heartbeat written just before end() may still be in flight.
      await ended;
      const before = body;
      const writes = jest.spyOn(c.res, 'write');
      await sleep(60);
      expect(body).toBe(before);
      expect(writes).not.toHaveBeenCalled(); // the heartbeat stopped with the stream
    } finally {
      await c.close();
    }
  });

  it('sends no heartbeat when it is turned off', async () => {
    const c = await connect({ heartbeatMs: 0 });
    try {
      await c.stream.send({ data: 'x' });
      const res = await c.response();
      res.setEncoding('utf8');
      let body = '';
      res.on('data', (chunk: string) => (body += chunk));
      await sleep(50);
      expect(body).toBe('data: x\n\n');
    } finally {
      await c.close();
    }
  });

  it('waits for the socket to drain before the producer may send more (backpressure)', async () => {
    const c = await connect();
    try {
      const res = await (async () => {
        c.stream.open();
        return c.response();
      })();
      res.pause(); // the client stops reading: kernel buffers fill, then Node's
      const big = 'x'.repeat(64 * 1024);
      let pending: Promise<void> | undefined;
      let written = 0;
      for (let i = 0; i < 2_000 && !pending; i++) {
        let settled = false;
        const sent = c.stream.send({ data: big }).then(() => void (settled = true));
        await sleep(0);
        if (settled) written += 1;
        else pending = sent;
      }
      expect(pending).toBeDefined();
      let resolved = false;
      void pending!.then(() => (resolved = true));
      await sleep(100);
      expect(resolved).toBe(false); // still blocked while nobody reads
      res.resume();
      res.on('data', () => undefined);
      await pending;
      expect(resolved).toBe(true);
      expect(written).toBeGreaterThan(0);
    } finally {
      await c.close();
    }
  });

  it('aborts clientGone when the client leaves, ignores later writes and releases a blocked producer', async () => {
    const c = await connect();
    try {
      c.stream.open();
      const res = await c.response();
      res.pause();
      const big = 'y'.repeat(64 * 1024);
      let blocked: Promise<void> | undefined;
      for (let i = 0; i < 2_000 && !blocked; i++) {
        let settled = false;
        const sent = c.stream.send({ data: big }).then(() => void (settled = true));
        await sleep(0);
        if (!settled) blocked = sent;
      }
      expect(c.stream.clientGone.aborted).toBe(false);
      c.req.destroy();
      await once(c.stream.clientGone, 'abort');
      await blocked; // a producer waiting for drain is not left hanging
      expect(c.stream.ended).toBe(true);
      await c.stream.send({ data: 'after' }); // no throw, nothing written
      c.stream.end();
    } finally {
      await c.close();
    }
  });

  it('ends on shutdown drain without counting as the client leaving', async () => {
    const shutdown = new ShutdownState();
    const c = await connect({ endOnDrain: shutdown });
    try {
      await c.stream.send({ event: 'progress', data: { progress: 10 } });
      const body = bodyOf(await c.response());
      shutdown.beginDraining();
      expect(await body).toBe('event: progress\ndata: {"progress":10}\n\n');
      expect(c.stream.clientGone.aborted).toBe(false);
    } finally {
      await c.close();
    }
  });
});
