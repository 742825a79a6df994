import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import { formatEvent } from '@showroom/core';
import type { Request, Response } from 'express';
import { toOpenAiError } from './openai-errors';

/**
 * Scoped to the OpenAI-compatible controller (it runs instead of the global envelope filter,
 * also for the guards' 401 and 429): errors leave in OpenAI's shape, so OpenAI SDKs raise their
 * own error classes. Once a stream has started, the error goes out as one more data line and
 * the stream ends without [DONE], as OpenAI does.
 */
@Catch()
export class OpenAiErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('OpenAiCompat');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    const { status, body, unexpected } = toOpenAiError(exception);
    if (unexpected) this.logger.error({ err: exception, method: req.method, url: req.originalUrl }, 'request failed');
    if (res.headersSent) {
      if (!res.writableEnded) res.end(formatEvent({ data: body }));
      return;
    }
    res.status(status).json(body);
  }
}
