import { AppException } from '@showroom/core';
import { createServer, IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OpenAIEmbedder } from './openai-embedder';

/**
 * The real `openai` SDK against a local server that speaks OpenAI's embeddings wire format
 * (including the base64 float32 encoding the SDK asks for by default).
 */
describe('OpenAIEmbedder', () => {
  let server: Server;
  let baseUrl: string;
  let failuresLeft = 0;
  const seen: { authorization?: string; body: Record<string, unknown> }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      void readJson(req).then((body) => {
        seen.push({ authorization: req.headers.authorization, body });
        if (failuresLeft > 0) {
          failuresLeft -= 1;
          res.writeHead(500, { 'content-type': 'application/json', 'retry-after-ms': '10' });
          res.end(JSON.stringify({ error: { message: 'upstream exploded', type: 'server_error' } }));
          return;
        }
        const inputs = body.input as string[];
        const dims = body.dimensions as number;
        // Answer out of order: the adapter must restore the input order from `index`.
        const data = inputs
          .map((text, index) => {
            const vector = Float32Array.from({ length: dims }, (_, i) => (i === index % dims ? 1 : 0) + text.length / 1000);
            const embedding = body.encoding_format === 'base64' ? Buffer.from(vector.buffer).toString('base64') : Array.from(vector);
            return { object: 'embedding', index, embedding };
          })
          .reverse();
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ object: 'list', data, model: body.model, usage: { prompt_tokens: 3, total_tokens: 3 } }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  beforeEach(() => {
    seen.length = 0;
    failuresLeft = 0;
  });

  const embedder = (maxRetries = 2) =>
    new OpenAIEmbedder({ apiKey: 'sk-test-key', baseUrl, model: 'text-embedding-3-small', dimensions: 8, timeoutMs: 5_000, maxRetries });

  it('sends the model, dimensions and key, and returns one vector per input in input order', async () => {
    const vectors = await embedder().embed(['first', 'second text', 'third']);
    expect(vectors).toHaveLength(3);
    expect(vectors.map((v) => v.indexOf(Math.max(...v)))).toEqual([0, 1, 2]);
    expect(seen[0]).toMatchObject({ authorization: 'Bearer sk-test-key', body: { model: 'text-embedding-3-small', dimensions: 8, input: ['first', 'second text', 'third'] } });
  });

  it('retries a failing call within the bounded retries', async () => {
    failuresLeft = 2;
    const [vector] = await embedder(2).embed(['retry me']);
    expect(vector).toHaveLength(8);
    expect(seen).toHaveLength(3);
  });

  it('opens the circuit when the provider keeps failing, then fails fast without calling it', async () => {
    const flaky = embedder(0);
    failuresLeft = 1_000;
    for (let i = 0; i < 5; i += 1) await expect(flaky.embed(['x'])).rejects.toThrow();
    const callsBefore = seen.length;
    const failure = await flaky.embed(['x']).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(AppException);
    expect((failure as AppException).code).toBe('PROVIDER_UNAVAILABLE');
    expect((failure as AppException).status).toBe(503);
    expect(seen.length).toBe(callsBefore);
  });
});

function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => resolve(JSON.parse(body || '{}') as Record<string, unknown>));
  });
}
