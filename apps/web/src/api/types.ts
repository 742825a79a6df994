/**
 * Response shapes of the api. The OpenAPI document describes paths, parameters and request
 * bodies (schema.d.ts, generated) but not yet response bodies (the controllers return plain
 * views without @ApiResponse types), so these mirror the views DESIGN.md promises every
 * client. When the document gains response schemas, replace these with schema.d.ts types.
 */
export type Role = 'owner' | 'admin' | 'staff';

export interface UserView {
  id: string;
  email: string;
  name: string;
  role: Role;
  active: boolean;
  createdAt: string;
}

export interface SessionView {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  user: UserView;
  dealership: { id: string; name: string };
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type DocumentStatus = 'queued' | 'processing' | 'ready' | 'failed';

export interface DocumentView {
  id: string;
  title: string;
  status: DocumentStatus;
  progress: number;
  mimeType: string;
  sizeBytes: number;
  chunkCount: number;
  error: string | null;
  createdAt: string;
}

/** `document.progress` over the realtime gateway. */
export interface DocumentProgressEvent {
  documentId: string;
  status: DocumentStatus;
  progress: number;
  chunkCount: number;
  error: string | null;
}

export interface Citation {
  documentId: string;
  documentTitle: string;
  chunkId: string;
  page: number | null;
  snippet: string;
}

export type MessageStatus = 'complete' | 'streaming' | 'interrupted' | 'failed';

export interface MessageView {
  id: string;
  role: 'user' | 'assistant';
  content: string;
  citations: Citation[];
  status: MessageStatus;
  createdAt: string;
}

export interface ConversationSummary {
  id: string;
  title: string | null;
  createdAt: string;
  updatedAt: string;
  userId: string;
}

export interface ConversationView extends ConversationSummary {
  messages: MessageView[];
}

export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface CreatedApiKey extends ApiKeyView {
  /** The whole key; the api shows it this once. */
  key: string;
}

export interface AssistantSettingsView {
  systemPrompt: string;
  isDefault: boolean;
  updatedAt: string | null;
}

export interface UsageLine {
  day: string;
  model: string;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  estimatedCostUsd: number | null;
}

export interface UsageReport {
  from: string;
  to: string;
  items: UsageLine[];
  totals: { requests: number; inputTokens: number; outputTokens: number; estimatedCostUsd: number; unpricedModels: string[] };
  /** Other capabilities (voice, avatar, …) by key, each with its own estimated cost. */
  sections?: Record<string, { totals: { estimatedCostUsd: number } }>;
  /** Chat, voice and avatar estimated cost together (priced items only). */
  estimatedCostUsd?: number;
}

export type ExportFormat = 'pdf' | 'docx' | 'csv';
export type ReportKind = 'usage' | 'knowledge-gaps' | 'feedback';
export type ExportStatus = 'queued' | 'processing' | 'ready' | 'failed' | 'expired';

export interface ExportView {
  id: string;
  kind: 'conversation' | ReportKind;
  format: ExportFormat;
  status: ExportStatus;
  progress: number;
  sizeBytes: number | null;
  expiresAt: string;
  error: string | null;
  createdAt: string;
  conversationId: string | null;
  from: string | null;
  to: string | null;
  requestedBy: string;
}

/** `export.progress` over the realtime gateway (and `progress` on the export's SSE stream). */
export interface ExportProgressEvent {
  exportId: string;
  requestedBy: string;
  status: ExportStatus;
  progress: number;
  sizeBytes: number | null;
  error: string | null;
}

export interface ErrorEnvelope {
  error: { code: string; message: string; requestId?: string; details?: { field?: string; message: string }[] };
}
