import { UseInterceptors, applyDecorators } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { IdempotencyInterceptor } from './idempotency.interceptor';

/**
 * Makes a creating POST safe to retry with an `Idempotency-Key` header (Stripe's semantics; see
 * IdempotencyInterceptor). One line on the route. On an upload route put it above
 * `@UseInterceptors(FileInterceptor(...))`, so it runs after the file is parsed and the file's
 * bytes are part of "the same request".
 */
export const Idempotent = () =>
  applyDecorators(
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: 'Retry-safe creation: the same key and body within 24 h replays the first response; another body is 422 IDEMPOTENCY_KEY_REUSED.',
    }),
    UseInterceptors(IdempotencyInterceptor),
  );
