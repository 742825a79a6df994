import type { Citation, MessageStatus } from '../api/types';

/** A message as the thread shows it: stored ones from the api, plus the one being streamed. */
export interface ChatMessage {
  key: string;
  /** The api's id, once known (feedback and copy need a stored answer). */
  id?: string;
  role: 'user' | 'assistant';
  content: string;
  citations: Citation[];
  status: MessageStatus | 'stopped';
  /** What went wrong, in words. */
  error?: string;
  /** The question an assistant message answers, for Retry. */
  question?: string;
}

/** The api's plain answer when nothing relevant was found (no model was asked). */
export const isIDontKnow = (m: ChatMessage) => m.role === 'assistant' && m.citations.length === 0 && /^I don['’]t know\b/.test(m.content);
