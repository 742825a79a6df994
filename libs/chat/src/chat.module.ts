import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { provideTenantRepositories } from '@showroom/auth';
import { RagModule } from '@showroom/rag';
import { AnswerJournal } from './answering/answer-journal';
import { ConversationAnswers } from './answering/conversation-answers';
import { GroundedAnswerer } from './answering/grounded-answerer';
import { ResumedAnswers } from './answering/resumed-answers';
import { AnswerTurns } from './conversations/answer-turns';
import { Conversation } from './conversations/conversation.entity';
import { ConversationsService } from './conversations/conversations.service';
import { ChatMessage } from './conversations/message.entity';
import { FeedbackService } from './feedback/feedback.service';
import { LlmMetrics } from './llm/llm-metrics';
import { AbandonedAnswers } from './maintenance/abandoned-answers';
import { LLM } from './llm/llm.port';
import { llmProvider } from './llm/llm.provider';
import { MessageFeedback } from './feedback/message-feedback.entity';
import { DEFAULT_SYSTEM_PROMPT } from './prompt/system-prompt';
import { AssistantSettings } from './settings/assistant-settings.entity';
import { AssistantSettingsService } from './settings/assistant-settings.service';
import { DEFAULT_SYSTEM_PROMPT_TEXT } from './settings/default-system-prompt.token';
import { LlmUsageDaily } from './usage/llm-usage-daily.entity';
import { UsageSections } from './usage/usage-sections';
import { UsageService } from './usage/usage.service';

/** Chat: grounded answers, conversations, messages, feedback, LLM usage and assistant settings. No HTTP here (ChatHttpModule). */
@Module({
  imports: [TypeOrmModule.forFeature([Conversation, ChatMessage, MessageFeedback, LlmUsageDaily, AssistantSettings]), RagModule, DiscoveryModule],
  providers: [
    LlmMetrics,
    llmProvider,
    GroundedAnswerer,
    AnswerJournal,
    ConversationAnswers,
    ResumedAnswers,
    AbandonedAnswers,
    ConversationsService,
    AnswerTurns,
    FeedbackService,
    UsageService,
    UsageSections,
    AssistantSettingsService,
    // GET /assistant-settings shows the very text the prompt builder falls back to.
    { provide: DEFAULT_SYSTEM_PROMPT_TEXT, useValue: DEFAULT_SYSTEM_PROMPT },
    provideTenantRepositories(Conversation),
    provideTenantRepositories(ChatMessage),
    provideTenantRepositories(MessageFeedback),
    provideTenantRepositories(LlmUsageDaily),
    provideTenantRepositories(AssistantSettings),
  ],
  exports: [ConversationsService, AnswerTurns, FeedbackService, UsageService, AssistantSettingsService, GroundedAnswerer, ConversationAnswers, ResumedAnswers, AnswerJournal, LLM],
})
export class ChatModule {}
