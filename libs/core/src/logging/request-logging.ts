import { Injectable } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { PinoLogger } from 'nestjs-pino';
import type { Logger } from 'pino';
import { INFRASTRUCTURE_PATHS } from '../http/infrastructure-route.decorator';

/**
 * Logs each request once ("request completed", or "request errored" from 500 up). The other
 * lines logged while serving it carry its request id, method and URL through the request
 * context (requestIdMiddleware opens it; LoggingModule's mixin reads it), as the worker's jobs do.
 *
 * Plain Express middleware, mounted once by configureHttpApp, instead of nestjs-pino's own
 * middleware: Nest mounts MiddlewareConsumer routes on the prefix wildcard and again on every
 * path excluded from the prefix, for ALL methods and for each route's method, which gave the
 * router ~60 extra layers that every request walked and logged /v1 requests twice. And pino-http
 * builds two child loggers per request (the request, then its custom props); this builds none.
 * The line's shape is pino-http's: `req` and `res` through the same serializers, `responseTime`.
 */
@Injectable()
export class RequestLogging {
  /**
   * Writes the completion lines. Their fields are ours alone (method, URL, status, time), so
   * they skip the root's redaction, which with its `*.password`-style paths examines every
   * field of every line (5-6% of a logged 404's CPU); lines logged while serving keep it.
   */
  private readonly accessLog: Logger;

  // Injected so that nestjs-pino has made its root logger by now; the root is what is used.
  constructor(pino: PinoLogger) {
    this.accessLog = pino.logger.child({}, { redact: { paths: [] }, serializers: { req: asIs, res: asIs } });
  }

  readonly middleware = (req: Request, res: Response, next: NextFunction): void => {
    if (INFRASTRUCTURE_PATHS.has(req.path)) return next();
    // Explicit, not left to the mixin: 'close' after a client went away fires outside the request's context.
    logWhenDone(this.accessLog, { req: { method: req.method, url: req.originalUrl }, requestId: (req as Request & { id: string }).id }, res);
    next();
  };
}

const asIs = <T>(value: T): T => value;

function logWhenDone(log: Logger, fields: { req: object; requestId: string }, res: Response): void {
  const startedAt = Date.now();
  let logged = false;
  // 'finish' when the response was sent, 'close' alone when the client went away first.
  const done = (error?: Error) => {
    if (logged) return;
    logged = true;
    const line = { ...fields, res: { statusCode: res.statusCode }, responseTime: Date.now() - startedAt };
    if (error || res.statusCode >= 500) {
      log.error({ ...line, err: error ?? new Error(`failed with status code ${res.statusCode}`) }, 'request errored');
    } else {
      log.info(line, 'request completed');
    }
  };
  res.once('finish', () => done());
  res.once('close', () => done());
  res.once('error', done);
}
