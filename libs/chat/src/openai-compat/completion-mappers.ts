import { randomUUID } from 'node:crypto';
import type { AnswerEvent } from '../answering/grounded-answerer';
import type { Citation } from '../conversations/citation';
import { ASSISTANT_MODEL_ID } from './chat-completion-request';

export type AnswerEnd = Extract<AnswerEvent, { type: 'end' }>;

/** What every object of one completion shares: OpenAI repeats id, created and model on each chunk. */
export interface CompletionMeta {
  id: string;
  created: number;
  model: string;
}

export function newCompletionMeta(model: string = ASSISTANT_MODEL_ID): CompletionMeta {
  return { id: `chatcmpl-${randomUUID().replaceAll('-', '')}`, created: Math.floor(Date.now() / 1000), model };
}

/**
 * Our non-standard extra, on the completion and on the chunk that finishes a stream: which
 * upstream model answered (null when nothing relevant was found and no model was asked) and the
 * sources the answer cited. OpenAI clients ignore unknown fields; one namespaced key avoids
 * clashing with other vendors' `citations` (Perplexity's are URLs).
 */
export function showroomExtra(end: AnswerEnd) {
  return { upstream_model: end.model, citations: end.citations.map(citationOut) };
}

function citationOut(citation: Citation) {
  return { document_id: citation.documentId, document_title: citation.documentTitle, chunk_id: citation.chunkId, page: citation.page, snippet: citation.snippet };
}

/** OpenAI's finish reasons are a closed set; ours (e.g. `no_sources`) are a normal stop to a client. */
export function finishReasonOf(reason: string): 'stop' | 'length' | 'content_filter' {
  return reason === 'length' || reason === 'content_filter' ? reason : 'stop';
}

export function usageOf(end: AnswerEnd) {
  return { prompt_tokens: end.inputTokens, completion_tokens: end.outputTokens, total_tokens: end.inputTokens + end.outputTokens };
}

/** A `chat.completion` object (stream: false). */
export function completionOf(meta: CompletionMeta, end: AnswerEnd) {
  return {
    id: meta.id,
    object: 'chat.completion' as const,
    created: meta.created,
    model: meta.model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant' as const, content: end.content, refusal: null, annotations: [] },
        logprobs: null,
        finish_reason: finishReasonOf(end.finishReason),
      },
    ],
    usage: usageOf(end),
    showroom: showroomExtra(end),
  };
}

/**
 * One `chat.completion.chunk`. With `include_usage`, OpenAI puts `usage: null` on every chunk
 * but the last, which has empty choices and the usage.
 */
export function chunkOf(meta: CompletionMeta, choices: unknown[], usage: { includeUsage: boolean; value?: ReturnType<typeof usageOf> }, extra: object = {}) {
  return {
    id: meta.id,
    object: 'chat.completion.chunk' as const,
    created: meta.created,
    model: meta.model,
    choices,
    ...(usage.includeUsage ? { usage: usage.value ?? null } : {}),
    ...extra,
  };
}

export const roleChoice = () => ({ index: 0, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null });
export const contentChoice = (text: string) => ({ index: 0, delta: { content: text }, logprobs: null, finish_reason: null });
export const finishChoice = (end: AnswerEnd) => ({ index: 0, delta: {}, logprobs: null, finish_reason: finishReasonOf(end.finishReason) });

/** GET /v1/models: a fixed creation time, so the listing is stable across pods and restarts. */
const MODEL_CREATED = 1_764_000_000;

export const assistantModel = () => ({ id: ASSISTANT_MODEL_ID, object: 'model' as const, created: MODEL_CREATED, owned_by: 'showroom' });
export const modelList = () => ({ object: 'list' as const, data: [assistantModel()] });
