import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { Citation } from './citation';

export const MESSAGE_ROLES = ['user', 'assistant'] as const;
export type MessageRole = (typeof MESSAGE_ROLES)[number];

/**
 * `streaming` while an answer is being written; `interrupted` when the client went away or
 * the pod drained mid-answer (the partial text is kept); `failed` when the model could not
 * answer (see `error`). User messages are always `complete`.
 */
export const MESSAGE_STATUSES = ['complete', 'streaming', 'interrupted', 'failed'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/** What went wrong with an answer, in the error envelope's terms. */
export interface MessageError {
  code: string;
  message: string;
}

@Entity({ name: 'messages' })
export class ChatMessage {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'dealership_id' })
  dealershipId: string;

  @Column('uuid', { name: 'conversation_id' })
  conversationId: string;

  /** Database-assigned order within the conversation (created_at ties within a millisecond). */
  @Column({ type: 'bigint', insert: false, update: false })
  seq: string;

  @Column('text')
  role: MessageRole;

  @Column('text')
  content: string;

  @Column('jsonb', { default: () => `'[]'` })
  citations: Citation[];

  @Column('text')
  status: MessageStatus;

  @Column('jsonb', { nullable: true })
  error: MessageError | null;

  /** The model that wrote an assistant message; null for user messages. */
  @Column('text', { nullable: true })
  model: string | null;

  @Column('int', { name: 'input_tokens', default: 0 })
  inputTokens: number;

  @Column('int', { name: 'output_tokens', default: 0 })
  outputTokens: number;

  @Column('int', { name: 'first_token_ms', nullable: true })
  firstTokenMs: number | null;

  @Column('int', { name: 'latency_ms', nullable: true })
  latencyMs: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
