import { CanActivate, ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AppException } from '../errors/app.exception';
import { routeMetadata } from './route-metadata';

const JSON_TYPES = ['application/json', '+json'];
/** Where @nestjs/swagger's @ApiConsumes() keeps its list (API_CONSUMES, not exported at the package root). */
const API_CONSUMES = 'swagger/apiConsumes';

/**
 * A body the route cannot read is 415 UNSUPPORTED_MEDIA_TYPE instead of silently ignored (only
 * JSON is parsed, so a text/plain or form body used to reach the handler as "no fields").
 * What a route reads is what its OpenAPI document says: JSON unless it declares
 * `@ApiConsumes(...)` (the multipart upload routes), so the docs and the check never disagree.
 *
 * A guard, registered with useGlobalGuards after the app is created, so it runs after the
 * APP_GUARD ones (authentication, roles, rate limits: a 401 or 429 still comes first) and
 * before any interceptor, pipe or handler — where the global interceptor it replaces ran.
 * As an interceptor it put every request, with a body or not, through an rxjs pipeline
 * (10-25% of GET /health/live's throughput against the anchor).
 */
@Injectable()
export class MediaTypeGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<Request>();
    if (!hasBody(req)) return true;
    const consumes = routeMetadata<string[]>(this.reflector, API_CONSUMES, context) ?? JSON_TYPES;
    if (!req.is(consumes)) {
      throw new AppException(
        HttpStatus.UNSUPPORTED_MEDIA_TYPE,
        'UNSUPPORTED_MEDIA_TYPE',
        `This endpoint reads ${consumes.includes('multipart/form-data') ? 'multipart/form-data' : 'application/json'} bodies.`,
        [{ field: 'content-type', message: `must be one of ${consumes.join(', ')}` }],
      );
    }
    return true;
  }
}

/** type-is's rule: a body exists when it is chunked or has a non-zero Content-Length. */
function hasBody(req: Request): boolean {
  return req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');
}
