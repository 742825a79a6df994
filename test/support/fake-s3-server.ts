import { createHash } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StoredObject {
  body: Buffer;
  contentType: string;
  lastModified?: Date;
}

export interface S3Request {
  method: string;
  bucket: string;
  key: string;
  /** The access key id from the SigV4 Authorization header; undefined when unsigned. */
  accessKeyId: string | undefined;
  contentEncoding: string | undefined;
}

/**
 * An S3 bucket endpoint on localhost, speaking the REST wire format the official
 * @aws-sdk/client-s3 uses with path-style addressing (`/<bucket>/<key>`): PutObject (plain or
 * `aws-chunked` bodies, as the SDK sends streams with a trailing checksum), GetObject,
 * HeadObject and DeleteObject, with S3's XML errors (NoSuchKey, NoSuchBucket). It keeps
 * objects in memory per bucket, records every request, and can fail the next N requests
 * with 503 SlowDown (as an outage would).
 */
export class FakeS3Server {
  readonly requests: S3Request[] = [];
  readonly buckets = new Map<string, Map<string, StoredObject>>();
  failNext = 0;
  private server?: Server;

  constructor(bucketNames: string[]) {
    for (const name of bucketNames) this.buckets.set(name, new Map());
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res).catch((error: Error) => xmlError(res, 500, 'InternalError', error.message)));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  keys(bucket: string): string[] {
    return [...(this.buckets.get(bucket)?.keys() ?? [])].sort();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake-s3');
    const [, bucket = '', ...rest] = url.pathname.split('/');
    const key = rest.map(decodeURIComponent).join('/');
    const raw = await readBody(req);
    const contentEncoding = header(req, 'content-encoding');
    this.requests.push({ method: req.method ?? '', bucket, key, accessKeyId: /Credential=([^/]+)\//.exec(header(req, 'authorization') ?? '')?.[1], contentEncoding });
    if (this.failNext > 0) {
      this.failNext -= 1;
      return xmlError(res, 503, 'SlowDown', 'Please reduce your request rate. (fake outage)');
    }
    const objects = this.buckets.get(bucket);
    if (!objects) return xmlError(res, 404, 'NoSuchBucket', 'The specified bucket does not exist');
    switch (req.method) {
      case 'PUT': {
        const body = contentEncoding?.includes('aws-chunked') ? decodeAwsChunked(raw) : raw;
        const declared = header(req, 'x-amz-decoded-content-length') ?? header(req, 'content-length');
        if (declared !== undefined && Number(declared) !== body.length) return xmlError(res, 400, 'IncompleteBody', 'The request body is shorter than its declared length');
        objects.set(key, { body, contentType: header(req, 'content-type') ?? 'binary/octet-stream', lastModified: new Date() });
        res.writeHead(200, { ETag: etag(body) }).end();
        return;
      }
      case 'GET':
      case 'HEAD': {
        if (key === '' && url.searchParams.get('list-type') === '2') return listObjects(res, objects, url.searchParams);
        const object = objects.get(key);
        if (!object) return req.method === 'HEAD' ? void res.writeHead(404).end() : xmlError(res, 404, 'NoSuchKey', 'The specified key does not exist.');
        res.writeHead(200, { 'Content-Type': object.contentType, 'Content-Length': object.body.length, ETag: etag(object.body), 'Last-Modified': new Date().toUTCString() });
        res.end(req.method === 'GET' ? object.body : undefined);
        return;
      }
      case 'DELETE':
        objects.delete(key);
        res.writeHead(204).end();
        return;
      default:
        return xmlError(res, 405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
    }
  }
}

/** ListObjectsV2: keys in order after start-after, under prefix, at most max-keys. */
function listObjects(res: ServerResponse, objects: Map<string, StoredObject>, params: URLSearchParams): void {
  const prefix = params.get('prefix') ?? '';
  const after = params.get('start-after') ?? '';
  const max = Number(params.get('max-keys') ?? 1000);
  const keys = [...objects.keys()].filter((k) => k.startsWith(prefix) && k > after).sort();
  const page = keys.slice(0, max);
  const contents = page
    .map((k) => `<Contents><Key>${k}</Key><LastModified>${(objects.get(k)!.lastModified ?? new Date()).toISOString()}</LastModified><Size>${objects.get(k)!.body.length}</Size></Contents>`)
    .join('');
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult><Prefix>${prefix}</Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>${max}</MaxKeys><IsTruncated>${keys.length > max}</IsTruncated>${contents}</ListBucketResult>`;
  res.writeHead(200, { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(body) }).end(body);
}

/** `<hex size>[;chunk-signature=…]\r\n<bytes>\r\n` … `0\r\n<trailers>\r\n\r\n`. */
function decodeAwsChunked(raw: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = raw.indexOf('\r\n', at);
    if (lineEnd < 0) throw new Error('malformed aws-chunked body');
    const size = parseInt(raw.subarray(at, lineEnd).toString().split(';')[0], 16);
    if (Number.isNaN(size)) throw new Error('malformed aws-chunked chunk size');
    if (size === 0) return Buffer.concat(parts);
    parts.push(raw.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
}

function etag(body: Buffer): string {
  return `"${createHash('md5').update(body).digest('hex')}"`;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function xmlError(res: ServerResponse, status: number, code: string, message: string): void {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>fake</RequestId></Error>`;
  res.writeHead(status, { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(body) }).end(body);
}
