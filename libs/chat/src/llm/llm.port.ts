/** Injection token of the chat model adapter chosen by LLM_PROVIDER (see llm.provider.ts). */
export const LLM = Symbol('LLM');

/** One numbered passage the prompt shows the model; `number` is the n of its [n] marker. */
export interface LlmSource {
  number: number;
  title: string;
  page: number | null;
  text: string;
}

export interface LlmRequest {
  messages: { role: 'system' | 'user' | 'assistant'; content: string }[]; // the built prompt
  sources: LlmSource[]; // the numbered passages already inside the prompt (the local responder answers from these)
  question: string;
  maxOutputTokens: number;
  signal: AbortSignal; // aborted when the client goes away: the upstream HTTP call must be cancelled
}

export type LlmEvent =
  | { type: 'delta'; text: string }
  | { type: 'done'; model: string; finishReason: string; usage: { inputTokens: number; outputTokens: number } };

/**
 * A chat model that streams an answer. stream() yields deltas then exactly one `done`; it fails
 * with an AppException (PROVIDER_UNAVAILABLE 503, LLM_TIMEOUT 504, LLM_BAD_RESPONSE 502), or,
 * when request.signal aborts, with an error named 'AbortError' (see isLlmAbort in llm-errors.ts).
 */
export interface LlmPort {
  readonly provider: string;
  readonly model: string;
  stream(request: LlmRequest): AsyncIterable<LlmEvent>;
}
