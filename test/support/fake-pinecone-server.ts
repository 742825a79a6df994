import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

interface StoredVector {
  values: number[];
  metadata?: Record<string, unknown>;
}

export interface PineconeRequest {
  path: string;
  apiKey: string | undefined;
  body: Record<string, unknown>;
}

/**
 * A Pinecone index data plane on localhost, speaking the REST wire format the official SDK
 * uses (POST /vectors/upsert, /query, /vectors/delete, /describe_index_stats), so tests
 * drive the real `@pinecone-database/pinecone` client. It keeps vectors per namespace,
 * answers queries by exact cosine similarity, records every request, and can be told to
 * fail the next N requests (as an outage would).
 */
export class FakePineconeServer {
  readonly requests: PineconeRequest[] = [];
  readonly namespaces = new Map<string, Map<string, StoredVector>>();
  failNext = 0;
  private server?: Server;

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }

  /** Ids stored in a namespace (a dealership). */
  ids(namespace: string): string[] {
    return [...(this.namespaces.get(namespace)?.keys() ?? [])].sort();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readJson(req);
    const path = (req.url ?? '').split('?')[0];
    this.requests.push({ path, apiKey: header(req, 'api-key'), body });
    if (this.failNext > 0) {
      this.failNext -= 1;
      return send(res, 503, { code: 14, message: 'Service unavailable (fake outage)', details: [] });
    }
    const namespace = typeof body.namespace === 'string' ? body.namespace : '';
    const vectors = this.namespaces.get(namespace) ?? new Map<string, StoredVector>();
    this.namespaces.set(namespace, vectors);
    switch (`${req.method} ${path}`) {
      case 'POST /vectors/upsert': {
        const records = body.vectors as { id: string; values: number[]; metadata?: Record<string, unknown> }[];
        if (records.length > 1000) return send(res, 400, { code: 3, message: 'Batch size exceeds 1000', details: [] });
        for (const record of records) vectors.set(record.id, { values: record.values, metadata: record.metadata });
        return send(res, 200, { upsertedCount: records.length });
      }
      case 'POST /vectors/delete': {
        const ids = (body.ids as string[] | undefined) ?? [];
        if (body.filter) return send(res, 400, { code: 3, message: 'Serverless and Starter indexes do not support deleting with metadata filtering', details: [] });
        for (const id of ids) vectors.delete(id);
        return send(res, 200, {});
      }
      case 'POST /query': {
        const query = body.vector as number[];
        const matches = [...vectors]
          .map(([id, stored]) => ({ id, score: cosine(query, stored.values) }))
          .sort((a, b) => b.score - a.score)
          .slice(0, body.topK as number);
        return send(res, 200, { results: [], matches, namespace, usage: { readUnits: 1 } });
      }
      case 'POST /describe_index_stats':
      case 'GET /describe_index_stats': {
        const stats = Object.fromEntries([...this.namespaces].map(([name, v]) => [name, { vectorCount: v.size }]));
        return send(res, 200, { namespaces: stats, dimension: 0, indexFullness: 0, totalVectorCount: 0 });
      }
      default:
        return send(res, 404, { code: 5, message: `no route ${req.method} ${path}`, details: [] });
    }
  }
}

function cosine(a: number[], b: number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i += 1) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}
