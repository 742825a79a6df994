import { Module } from '@nestjs/common';
import { ChatModule } from '../chat.module';
import { OpenAiCompatAnswers } from './openai-compat-answers';
import { OpenAiCompatController } from './openai-compat.controller';

/** POST /v1/chat/completions and GET /v1/models for OpenAI clients; api only (imported by ChatHttpModule). */
@Module({
  imports: [ChatModule],
  controllers: [OpenAiCompatController],
  providers: [OpenAiCompatAnswers],
})
export class OpenAiCompatModule {}
