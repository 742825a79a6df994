import type { Citation } from './citation';
import type { Conversation } from './conversation.entity';
import type { ChatMessage, MessageRole, MessageStatus } from './message.entity';

/** `POST /conversations` answers `{ id, title, createdAt }` (DESIGN.md); lists add who and when last active. */
export interface CreatedConversationView {
  id: string;
  title: string | null;
  createdAt: string;
}

export interface ConversationSummaryView extends CreatedConversationView {
  userId: string;
  updatedAt: string;
}

export interface MessageView {
  id: string;
  role: MessageRole;
  content: string;
  citations: Citation[];
  status: MessageStatus;
  createdAt: string;
}

export interface ConversationView extends ConversationSummaryView {
  messages: MessageView[];
}

export function createdConversationView(c: Conversation): CreatedConversationView {
  return { id: c.id, title: c.title, createdAt: c.createdAt.toISOString() };
}

export function conversationSummaryView(c: Conversation): ConversationSummaryView {
  return { ...createdConversationView(c), userId: c.userId, updatedAt: c.updatedAt.toISOString() };
}

export function messageView(m: ChatMessage): MessageView {
  return { id: m.id, role: m.role, content: m.content, citations: m.citations, status: m.status, createdAt: m.createdAt.toISOString() };
}
