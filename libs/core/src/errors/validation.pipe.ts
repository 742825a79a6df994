import { ArgumentMetadata, HttpStatus, ValidationError, ValidationPipe } from '@nestjs/common';
import { InputHygienePipe } from '../http/input-hygiene.pipe';
import { AppException, ErrorDetail } from './app.exception';

/** Hygiene first: it bounds depth before class-transformer recurses, and refuses NUL and lone surrogates. */
class HygienicValidationPipe extends ValidationPipe {
  private readonly hygiene = new InputHygienePipe();

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    return super.transform(this.hygiene.transform(value, metadata), metadata);
  }
}

/**
 * Global DTO validation, for HTTP and socket payloads alike: input hygiene (InputHygienePipe),
 * then unknown fields are rejected, values are transformed to their declared types, and every
 * failure is listed in `details` (422 VALIDATION_FAILED).
 */
export function createValidationPipe(): ValidationPipe {
  return new HygienicValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) =>
      new AppException(
        HttpStatus.UNPROCESSABLE_ENTITY,
        'VALIDATION_FAILED',
        'The request has invalid or unknown fields.',
        flatten(errors),
      ),
  });
}

function flatten(errors: ValidationError[], parent = ''): ErrorDetail[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}
