import { Injectable, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { ApplicationConfig, HttpAdapterHost } from '@nestjs/core';
import type { Request, Response } from 'express';
import { RequestContext } from '../context/request-context';
import { errorEnvelope } from '../errors/error-envelope';

type Handler = (req: Request, res: Response) => void;
type ExpressApp = { use?: (...args: [string, Handler] | [Handler]) => void };

/**
 * The 404 envelope for paths no route serves, answered directly: without it, Nest answers
 * unknown paths under the global prefix by throwing a NotFoundException into the exception
 * filter (the stack capture alone was 5-8% of a 404's CPU), and paths outside it (`/nope`,
 * `/v1/nope`) would fall through to Express's HTML page. Same body, status and metrics label
 * ("unmatched") as the filter gave.
 *
 * Mounted after Nest's routes: on the prefix once the routes exist (module init, before Nest
 * adds its own not-found handler there), and everywhere else as the very last handler (at
 * bootstrap, after Nest's handlers for the unprefixed paths, whose wrong-method answers keep
 * their path's error format: OpenAI's on /v1).
 */
@Injectable()
export class NotFoundFallback implements OnModuleInit, OnApplicationBootstrap {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly appConfig: ApplicationConfig,
  ) {}

  onModuleInit(): void {
    const prefix = this.appConfig.getGlobalPrefix();
    if (prefix) this.express()?.use?.(`/${prefix.replace(/^\/+/, '')}`, answerNotFound);
  }

  onApplicationBootstrap(): void {
    this.express()?.use?.(answerNotFound);
  }

  private express(): ExpressApp | undefined {
    return this.adapterHost.httpAdapter?.getInstance?.() as ExpressApp | undefined;
  }
}

function answerNotFound(_req: Request, res: Response): void {
  if (res.headersSent) return;
  res.status(404).json(errorEnvelope('NOT_FOUND', 'No such resource.', RequestContext.requestId() ?? (res.getHeader('x-request-id') as string | undefined)));
}
