import { Module } from '@nestjs/common';
import { ErrorFormats } from '@showroom/core';
import { ChatModule } from '../chat.module';
import { OpenAiCompatAnswers } from './openai-compat-answers';
import { OpenAiCompatController } from './openai-compat.controller';
import { toOpenAiError } from './openai-errors';

/** POST /v1/chat/completions and GET /v1/models for OpenAI clients; api only (imported by ChatHttpModule). */
@Module({
  imports: [ChatModule],
  controllers: [OpenAiCompatController],
  providers: [OpenAiCompatAnswers],
})
export class OpenAiCompatModule {
  /** Errors raised before a /v1 route is chosen (unparsable JSON, an undecodable path) leave in OpenAI's shape too. */
  constructor(formats: ErrorFormats) {
    formats.register('/v1/', (exception) => toOpenAiError(exception));
  }
}
