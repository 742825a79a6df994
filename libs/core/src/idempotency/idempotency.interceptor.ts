import { CallHandler, ExecutionContext, HttpStatus, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { createHash } from 'node:crypto';
import { Observable, catchError, from, mergeMap, of, throwError } from 'rxjs';
import { AppException } from '../errors/app.exception';
import { IdempotencyStore } from './idempotency-store';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/**
 * The identity a key belongs to. The authentication guard (libs/auth) puts the verified
 * principal on `req.principal`; core reads only its identity fields, so a refreshed access token
 * of the same user still finds the user's keys, and another user's same key is another key.
 */
interface IdentifiedRequest extends Request {
  principal?: { kind: string; dealershipId: string; userId?: string; apiKeyId?: string };
  file?: { buffer?: Buffer };
}

/**
 * Stripe's idempotency semantics for a creating POST (see @Idempotent and the README):
 * same principal, same `Idempotency-Key`, same request within 24 h → the first response again
 * (status and body, `Idempotent-Replayed: true`); same key, different request → 422
 * IDEMPOTENCY_KEY_REUSED; the first still running → 409 IDEMPOTENCY_KEY_IN_USE with
 * Retry-After. A failed request releases its key (our writes are transactional, so a failure
 * left nothing to duplicate). A streamed (SSE) answer is not stored: its retry is 409
 * IDEMPOTENCY_KEY_STREAMED, pointing at the resume endpoint, so it is never produced twice.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(private readonly store: IdempotencyStore) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<IdentifiedRequest>();
    const res = context.switchToHttp().getResponse<Response>();
    const key = req.header(IDEMPOTENCY_HEADER);
    if (key === undefined || !req.principal) return next.handle();
    if (!KEY_PATTERN.test(key)) {
      throw new AppException(HttpStatus.BAD_REQUEST, 'INVALID_IDEMPOTENCY_KEY', 'The Idempotency-Key header must be 1 to 255 visible ASCII characters.', [
        { field: 'Idempotency-Key', message: 'must be 1 to 255 visible ASCII characters' },
      ]);
    }
    const scope = scopeOf(req.principal, key);
    const fingerprint = fingerprintOf(req);
    return from(this.store.claim(scope, fingerprint)).pipe(
      mergeMap((claim) => {
        switch (claim.kind) {
          case 'replay':
            res.status(claim.status).setHeader('Idempotent-Replayed', 'true');
            return of(claim.body);
          case 'reused':
            throw new AppException(HttpStatus.UNPROCESSABLE_ENTITY, 'IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used with a different request; use a new key.', [
              { field: 'Idempotency-Key', message: 'already used for another request' },
            ]);
          case 'running':
            res.setHeader('Retry-After', '1');
            throw new AppException(HttpStatus.CONFLICT, 'IDEMPOTENCY_KEY_IN_USE', 'The first request with this Idempotency-Key is still running; retry shortly.');
          case 'streamed':
            throw new AppException(
              HttpStatus.CONFLICT,
              'IDEMPOTENCY_KEY_STREAMED',
              'The answer for this Idempotency-Key was already streamed; resume it with GET /api/v1/messages/:id/events or read the conversation.',
            );
          case 'started':
            return next.handle().pipe(
              mergeMap(async (body: unknown) => {
                if (res.headersSent) await this.store.finishStream(scope, fingerprint);
                else await this.store.finish(scope, fingerprint, res.statusCode, body);
                return body;
              }),
              catchError((error: unknown) => from(this.store.release(scope)).pipe(mergeMap(() => throwError(() => error)))),
            );
        }
      }),
    );
  }
}

function scopeOf(principal: NonNullable<IdentifiedRequest['principal']>, key: string): string {
  const who = `${principal.dealershipId}:${principal.kind}:${principal.userId ?? principal.apiKeyId ?? ''}`;
  return createHash('sha256').update(`${who}\n${key}`).digest('hex');
}

/** What "the same request" means: method, path and body (and an uploaded file's bytes). */
function fingerprintOf(req: IdentifiedRequest): string {
  const hash = createHash('sha256').update(`${req.method} ${req.originalUrl.split('?')[0]}\n`).update(canonicalJson(req.body ?? null));
  if (req.file?.buffer) hash.update('\n').update(req.file.buffer);
  return hash.digest('hex');
}

/** JSON with sorted keys, so {"a":1,"b":2} and {"b":2,"a":1} are the same body. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
