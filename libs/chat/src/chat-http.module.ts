import { Module } from '@nestjs/common';
import { AnswersController } from './answering/http/answers.controller';
import { ChatModule } from './chat.module';
import { ConversationsController } from './conversations/http/conversations.controller';
import { FeedbackController } from './feedback/http/feedback.controller';
import { OpenAiCompatModule } from './openai-compat/openai-compat.module';
import { ChatRealtimeModule } from './realtime/chat-realtime.module';
import { AssistantSettingsController } from './settings/http/assistant-settings.controller';
import { UsageController } from './usage/http/usage.controller';

/** The api face of chat; the worker imports ChatModule only and mounts no routes. */
@Module({
  imports: [ChatModule, OpenAiCompatModule, ChatRealtimeModule],
  controllers: [AnswersController, ConversationsController, FeedbackController, UsageController, AssistantSettingsController],
})
export class ChatHttpModule {}
