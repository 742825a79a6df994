import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { bearer, type Session } from './auth-helpers';
import { waitFor } from './wait-for';

/** supertest parser that keeps the raw bytes of a download. */
export function rawBody(res: request.Response, callback: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  const stream = res as unknown as NodeJS.ReadableStream;
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => callback(null, Buffer.concat(chunks)));
}

/** Polls GET /exports/:id until the export leaves queued/processing; returns the final view. */
export async function settledExport(api: INestApplication, session: Session, id: string, timeoutMs = 20_000): Promise<{ status: string; [key: string]: unknown }> {
  return waitFor(`export ${id} to finish`, async () => {
    const res = await request(api.getHttpServer()).get(`/api/v1/exports/${id}`).set(bearer(session.accessToken));
    return res.status === 200 && !['queued', 'processing'].includes(res.body.status) ? res.body : undefined;
  }, timeoutMs);
}

/** Downloads an export's file: status, headers and bytes. */
export async function download(api: INestApplication, session: Session, id: string) {
  const res = await request(api.getHttpServer()).get(`/api/v1/exports/${id}/download`).set(bearer(session.accessToken)).buffer(true).parse(rawBody);
  return { status: res.status, headers: res.headers, bytes: res.body as Buffer, text: () => (res.body as Buffer).toString('utf8') };
}
