import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Request, Response } from 'express';
import { RequestContext } from '../context/request-context';
import { errorEnvelope } from '../errors/error-envelope';

/**
 * Nest answers unknown paths under the /api/v1 prefix itself (through the exception filter);
 * paths outside it (`/nope`, `/v1/nope`) would fall through to Express's HTML page. This adds
 * the envelope as the last handler. It must be mounted after Nest's routes, which exist once
 * the application bootstraps.
 */
@Injectable()
export class NotFoundFallback implements OnApplicationBootstrap {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onApplicationBootstrap(): void {
    const instance = this.adapterHost.httpAdapter?.getInstance?.() as { use?: (handler: (req: Request, res: Response) => void) => void } | undefined;
    instance?.use?.((_req: Request, res: Response) => {
      if (res.headersSent) return;
      res.status(404).json(errorEnvelope('NOT_FOUND', 'No such resource.', RequestContext.requestId() ?? (res.getHeader('x-request-id') as string | undefined)));
    });
  }
}
