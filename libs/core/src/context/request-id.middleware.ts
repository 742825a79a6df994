import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { RequestContext } from './request-context';

export const REQUEST_ID_HEADER = 'x-request-id';

// A caller-supplied id is kept only if it is short and plain, so it is safe in logs and headers.
export const ACCEPTABLE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function resolveRequestId(header: string | string[] | undefined): string {
  const candidate = Array.isArray(header) ? header[0] : header;
  return candidate && ACCEPTABLE_ID.test(candidate) ? candidate : randomUUID();
}

/**
 * First middleware of every app: fixes the request id (request logging then reuses `req.id`),
 * returns it in `X-Request-Id`, and opens the request context for everything downstream,
 * whose log lines then carry the id, method and URL.
 */
export function requestIdMiddleware(req: Request, res: Response, next: NextFunction): void {
  const requestId = resolveRequestId(req.headers[REQUEST_ID_HEADER]);
  (req as Request & { id: string }).id = requestId;
  res.setHeader('X-Request-Id', requestId);
  RequestContext.run(requestId, next, { req: { method: req.method, url: req.originalUrl } });
}
