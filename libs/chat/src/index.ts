// The public face of @showroom/chat: what voice, avatar and the apps use. Everything else is internal.
export { ChatModule } from './chat.module';
export { ChatHttpModule } from './chat-http.module';
export { chatMigrations } from './migrations/index';
export { type ChatStreamEvent, ConversationAnswers } from './answering/conversation-answers';
export type { ChatUser } from './conversations/conversation-access';
export { ConversationsService } from './conversations/conversations.service';
export { AssistantSettingsService } from './settings/assistant-settings.service';
export { AnswerTurns } from './conversations/answer-turns';
export { resolveDayRange, type DayRange } from './usage/usage-range';
export { UsageQueryDto } from './usage/http/usage.controller';
export { UsageSection, type UsageSectionReport, type UsageSectionSource } from './usage/usage-sections';
export { chatConfig, type ChatSettings, type ExportSettings, type LlmSettings } from './chat.config';
export { ExportsModule } from './exports/exports.module';
export { ExportsHttpModule } from './exports/exports-http.module';
