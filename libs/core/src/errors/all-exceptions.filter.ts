import { ArgumentsHost, Catch, ExceptionFilter, Inject, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { RequestContext } from '../context/request-context';
import { errorEnvelope } from './error-envelope';
import { ErrorFormats } from './error-formats';
import { mapError } from './http-error-mapping';

/**
 * Every error from any layer leaves as the envelope of DESIGN.md with the right status.
 * Stack traces go to the log (for failures that are ours), never to the client.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly formats: ErrorFormats,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    const req = http.getRequest<Request & { id?: string }>();
    const res = http.getResponse<Response>();
    const mapped = mapError(exception, this.config.http.bodyLimitBytes);
    if (mapped.unexpected) {
      this.logger.error({ err: exception, method: req.method, url: req.originalUrl }, 'request failed');
    }
    if (res.headersSent) {
      // A stream already started (SSE); the best we can do is end it.
      res.end();
      return;
    }
    // A path with its own wire format (/v1: OpenAI's) keeps it for errors raised before routing.
    const format = this.formats.formatFor(req.path);
    if (format) {
      const { status, body } = format(exception);
      res.status(status).json(body);
      return;
    }
    const requestId = req.id ?? RequestContext.requestId();
    if (mapped.code === 'SERVICE_BUSY') res.setHeader('Retry-After', '1');
    res.status(mapped.status).json(errorEnvelope(mapped.code, mapped.message, requestId, mapped.details));
  }
}
