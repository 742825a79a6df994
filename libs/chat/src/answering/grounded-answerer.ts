import { Inject, Injectable } from '@nestjs/common';
import type { Tenant } from '@showroom/auth';
import { APP_CONFIG, AppConfig } from '@showroom/core';
import { SearchService, type SearchHit } from '@showroom/rag';
import type { Citation } from '../conversations/citation';
import { NO_SOURCES_ANSWER } from '../llm/extractive-answer';
import { LLM, type LlmPort } from '../llm/llm.port';
import { llmErrors } from '../llm/llm-errors';
import { countTextTokens } from '../llm/token-count';
import { buildPrompt, type PromptSource } from '../prompt/build-prompt';
import { citedSourceNumbers } from '../prompt/cited-sources';

/** What one grounded answer produces, in order: deltas, then exactly one `end`. */
export type AnswerEvent =
  | { type: 'delta'; text: string }
  | {
      type: 'end';
      content: string;
      citations: Citation[];
      /** null when no model was asked (nothing relevant was found). */
      model: string | null;
      finishReason: string;
      inputTokens: number;
      outputTokens: number;
      firstTokenMs: number | null;
      latencyMs: number;
    };

export interface AnswerRequest {
  tenant: Tenant;
  question: string;
  /** Earlier turns, oldest first; cut to the history budget by the prompt builder. */
  history: readonly { role: 'user' | 'assistant'; content: string }[];
  /** Replaces the dealership's system prompt's default when set. */
  systemPrompt: string | null;
  signal: AbortSignal;
  /** Called once this answer's own work before the model (retrieval, the prompt) is done and the model is asked. */
  onAskingModel?: () => void;
  /** The passages, when the caller started `retrieve` already (beside other work); else the answer retrieves them. */
  passages?: Promise<SearchHit[]>;
}

const SNIPPET_CHARS = 240;

/**
 * One grounded answer, whatever carries it (JSON, SSE, WebSocket, the OpenAI-compatible
 * endpoint): retrieve from the dealership's knowledge, keep only passages relevant enough,
 * build the prompt within its token budgets, stream the model's answer, and name the
 * sources the answer actually cited. When nothing relevant is found no model is asked: the
 * answer is a plain "I don't know", so there is nothing to invent from.
 */
@Injectable()
export class GroundedAnswerer {
  constructor(
    private readonly search: SearchService,
    @Inject(LLM) private readonly llm: LlmPort,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async *answer(request: AnswerRequest): AsyncGenerator<AnswerEvent> {
    const started = performance.now();
    const passages = await (request.passages ?? this.retrieve(request.tenant, request.question));
    if (passages.length === 0) {
      yield { type: 'delta', text: NO_SOURCES_ANSWER };
      yield { type: 'end', content: NO_SOURCES_ANSWER, citations: [], model: null, finishReason: 'no_sources', inputTokens: 0, outputTokens: 0, firstTokenMs: 0, latencyMs: elapsed(started) };
      return;
    }
    const prompt = buildPrompt({
      systemPrompt: request.systemPrompt,
      passages: passages.map((hit) => ({ title: hit.documentTitle, page: hit.page, text: hit.text, documentId: hit.documentId, chunkId: hit.chunkId })),
      history: request.history,
      question: request.question,
      historyTokenBudget: this.config.chat.historyTokenBudget,
      contextTokenBudget: this.config.chat.contextTokenBudget,
    });
    let content = '';
    let firstTokenMs: number | null = null;
    request.onAskingModel?.();
    for await (const event of this.llm.stream({
      messages: prompt.messages,
      sources: prompt.sources,
      question: request.question,
      maxOutputTokens: this.config.llm.maxOutputTokens,
      signal: request.signal,
    })) {
      if (event.type === 'delta') {
        if (event.text.length === 0) continue;
        firstTokenMs ??= elapsed(started);
        content += event.text;
        yield event;
        continue;
      }
      yield {
        type: 'end',
        content,
        citations: citationsOf(content, prompt.sources),
        model: event.model,
        finishReason: event.finishReason,
        inputTokens: event.usage.inputTokens || prompt.inputTokens,
        outputTokens: event.usage.outputTokens || countTextTokens(content),
        firstTokenMs,
        latencyMs: elapsed(started),
      };
      return;
    }
    throw llmErrors.badResponse(this.llm.provider, 'the stream ended without finishing');
  }

  /**
   * The relevance gate: best hits that hold enough of the question's informative words
   * (CHAT_MIN_TERM_COVERAGE: rare words such as a model name or a trade term weigh most, so
   * "What can the Haulmark Summit pull?" passes on the Haulmark Summit row while "Who is the best
   * basketball player?" does not pass on a row that says "best seller"), or whose cosine
   * similarity reaches CHAT_MIN_RELEVANCE (a semantic embedder's evidence). Once one passage
   * passes, the others with at least half that evidence come along in retrieval order: the
   * best-ranked passage often holds fewer of the question's words than a lesser one ("put
   * down" is in the down-payment rule, "car" in every other passage). Calibrated on the
   * labelled sets of bench/retrieval-quality.mjs (BENCHMARKS.md).
   */
  async retrieve(tenant: Tenant, question: string): Promise<SearchHit[]> {
    const { items } = await this.search.search(tenant, question, this.config.chat.retrievalTopK);
    const { minRelevance, minTermCoverage } = this.config.chat;
    const passes = (hit: SearchHit, share: number) => hit.termCoverage >= share * minTermCoverage || hit.relevance >= share * minRelevance;
    return items.some((hit) => passes(hit, 1)) ? items.filter((hit) => passes(hit, 0.5)) : [];
  }
}

/** Citations for the sources the answer named, in the order it first named them. */
export function citationsOf(content: string, sources: readonly PromptSource[]): Citation[] {
  return citedSourceNumbers(content, sources.length).map((number) => {
    const source = sources[number - 1];
    return {
      documentId: source.documentId,
      documentTitle: source.title,
      chunkId: source.chunkId,
      page: source.page,
      snippet: source.text.length > SNIPPET_CHARS ? `${source.text.slice(0, SNIPPET_CHARS - 1).trimEnd()}…` : source.text,
    };
  });
}

function elapsed(since: number): number {
  return Math.round(performance.now() - since);
}
