import { Global, Module } from '@nestjs/common';
import { ErrorFormats } from './error-formats';

@Global()
@Module({ providers: [ErrorFormats], exports: [ErrorFormats] })
export class ErrorsModule {}
