import { HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import type { Tenant } from '@showroom/auth';
import { APP_CONFIG, AppConfig, AppException, RequestContext, errorEnvelope, mapError } from '@showroom/core';
import { AnswerTurns, AssistantOutcome } from '../conversations/answer-turns';
import type { ChatUser } from '../conversations/conversation-access';
import type { MessageView } from '../conversations/conversation.views';
import { isLlmAbort } from '../llm/llm-errors';
import { AnswerJournal, ChatEventName } from './answer-journal';
import { AnswerEvent, GroundedAnswerer } from './grounded-answerer';
import { StartGate } from './start-gate';

/** An event as clients see it (SSE and WebSocket): `id` is `<assistantMessageId>:<seq>`. */
export interface ChatStreamEvent {
  id: string;
  event: ChatEventName;
  data: unknown;
}

export interface AnsweredTurn {
  userMessage: MessageView;
  assistantMessage: MessageView;
  /** Set when the answer failed or was interrupted (the stream ended with `error`). */
  error?: AppException;
}

export interface AnswerOptions {
  /** Every event as it happens (SSE, WebSocket, spoken turns, the avatar). */
  onEvent?: (event: ChatStreamEvent) => void;
  /** The reader went away: the answer goes on for CHAT_RESUME_GRACE_MS for a resume, then stops. */
  clientGone?: AbortSignal;
  /** The user asked the answer to stop (a spoken barge-in): the upstream call ends at once. */
  stop?: AbortSignal;
}

/** How often, after the client left, the producer looks for a resumed reader. */
const WATCH_CHECK_MS = 250;

const busy = () => new AppException(HttpStatus.SERVICE_UNAVAILABLE, 'SERVICE_BUSY', 'Too many answers are being written right now; try again in a moment.');

const interrupted = () => new AppException(499 as HttpStatus, 'ANSWER_INTERRUPTED', 'The client went away before the answer was complete.');

/**
 * A question asked in a conversation, answered and recorded: the user's message is stored,
 * the assistant's opens as `streaming`, every event goes to the caller (`onEvent`) and to the
 * answer journal (for resume on any pod), and the message is closed as complete, failed
 * (with the error) or interrupted (with the partial text). The conversation is consistent
 * whatever happens: every answer that starts also finishes, with usage counted once.
 */
@Injectable()
export class ConversationAnswers {
  private readonly logger = new Logger(ConversationAnswers.name);
  private inFlight = 0;
  private readonly starting: StartGate;

  constructor(
    private readonly turns: AnswerTurns,
    private readonly answerer: GroundedAnswerer,
    private readonly journal: AnswerJournal,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.starting = new StartGate(config.chat.maxAnswersStarting);
  }

  /**
   * Throws (before any event) when the process already produces CHAT_MAX_ANSWERS_IN_FLIGHT
   * answers (503 SERVICE_BUSY), for a conversation the caller cannot see (404) or bad content
   * (422); after that, failures become the `error` event and `AnsweredTurn.error`.
   */
  async answer(
    user: ChatUser,
    tenant: Tenant,
    conversationId: string,
    content: string,
    options: AnswerOptions = {},
  ): Promise<AnsweredTurn> {
    if (this.inFlight >= this.config.chat.maxAnswersInFlight) throw busy();
    this.inFlight += 1;
    // Admitted answers start in arrival order, at most CHAT_MAX_ANSWERS_STARTING at once (StartGate).
    const leaveStart = await this.starting.enter();
    try {
      return await this.answerAdmitted(user, tenant, conversationId, content, options, leaveStart);
    } finally {
      leaveStart();
      this.inFlight -= 1;
    }
  }

  private async answerAdmitted(
    user: ChatUser,
    tenant: Tenant,
    conversationId: string,
    content: string,
    options: AnswerOptions,
    leaveStart: () => void,
  ): Promise<AnsweredTurn> {
    // Retrieval needs only the question and the caller's own dealership, so it runs while
    // Postgres stores the turn instead of after it: the statement's round trip leaves the path
    // to the first token. Its failure is the answer's to report (an `error` event, the turn
    // stored as failed), so it is awaited there; if the turn cannot be opened (404, 422) the
    // result is dropped. Content the turn would refuse (422) is refused first, unsearched.
    this.turns.assertContent(content);
    const passages = this.answerer.retrieve(tenant, content);
    passages.catch(() => undefined);
    const { userMessage, assistantMessage: assistant, history, systemPrompt } = await this.turns.open(user, tenant, conversationId, content);

    let seq = 0;
    let journaled: Promise<unknown> = Promise.resolve();
    const emit = (event: ChatEventName, data: unknown) => {
      leaveStart(); // an answer given without the model (or failed) starts no later than its first event
      seq += 1;
      options.onEvent?.({ id: `${assistant.id}:${seq}`, event, data });
      journaled = this.journal.append(assistant.id, { seq, event, data }).catch((error: Error) => {
        this.logger.warn(`answer ${assistant.id} not journaled (resume unavailable): ${error.message}`);
      });
    };

    const upstream = new AbortController();
    const finished = new AbortController();
    options.clientGone?.addEventListener('abort', () => void this.abortUnlessResumed(assistant.id, upstream, finished.signal), { once: true });
    if (options.stop?.aborted) upstream.abort();
    options.stop?.addEventListener('abort', () => upstream.abort(), { once: true });

    let text = '';
    let outcome: AssistantOutcome;
    let failure: AppException | undefined;
    const startedAt = performance.now();
    try {
      const events = this.answerer.answer({
        tenant,
        question: content,
        history: history.map((m) => ({ role: m.role, content: m.content })),
        systemPrompt,
        passages,
        signal: upstream.signal,
        // Waiting for the model's first token is not this process's work: the next answer may start.
        onAskingModel: leaveStart,
      });
      outcome = await this.consume(events, (delta) => {
        text += delta;
        emit('token', { delta });
      });
    } catch (error) {
      failure = upstream.signal.aborted || isLlmAbort(error) ? interrupted() : this.asAppException(error, assistant.id);
      outcome = {
        content: text,
        citations: [],
        status: failure.code === 'ANSWER_INTERRUPTED' ? 'interrupted' : 'failed',
        error: { code: failure.code, message: failure.message },
        model: null,
        inputTokens: 0,
        outputTokens: 0,
        firstTokenMs: null,
        latencyMs: Math.round(performance.now() - startedAt),
      };
    } finally {
      finished.abort();
    }
    let assistantMessage: MessageView = { ...assistant, ...outcome };
    try {
      assistantMessage = (await this.turns.finish(tenant, assistant.id, outcome)) ?? assistantMessage;
    } catch (error) {
      // The answer could not be stored (database overloaded or gone). The stream must still end
      // with a terminal event; the message stays `streaming` until the abandoned-answer sweep
      // closes it.
      failure = this.asAppException(error, assistant.id);
    }
    if (failure) {
      emit('error', errorEnvelope(failure.code, failure.message, RequestContext.requestId()));
    } else {
      emit('citations', { citations: outcome.citations });
      emit('done', { message: assistantMessage });
    }
    await journaled;
    return { userMessage, assistantMessage, error: failure };
  }

  private async consume(events: AsyncIterable<AnswerEvent>, onDelta: (text: string) => void): Promise<AssistantOutcome> {
    for await (const event of events) {
      if (event.type === 'delta') {
        onDelta(event.text);
        continue;
      }
      return {
        content: event.content,
        citations: event.citations,
        status: 'complete',
        model: event.model,
        inputTokens: event.inputTokens,
        outputTokens: event.outputTokens,
        firstTokenMs: event.firstTokenMs,
        latencyMs: event.latencyMs,
      };
    }
    throw new AppException(HttpStatus.BAD_GATEWAY, 'LLM_BAD_RESPONSE', 'The answer ended without finishing.');
  }

  /**
   * The client left: keep answering while a resumed reader (any pod) watches the journal, and
   * abort the upstream call once nobody has watched for CHAT_RESUME_GRACE_MS.
   */
  private async abortUnlessResumed(messageId: string, upstream: AbortController, finished: AbortSignal): Promise<void> {
    const grace = this.config.chat.resumeGraceMs;
    let lastWatched = performance.now();
    while (!finished.aborted) {
      if (performance.now() - lastWatched >= grace) {
        upstream.abort();
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(WATCH_CHECK_MS, grace)));
      if (await this.journal.isWatched(messageId).catch(() => false)) lastWatched = performance.now();
    }
  }

  /** The same status and code the HTTP layer would give the error (for example 503 SERVICE_BUSY when the pool is exhausted). */
  private asAppException(error: unknown, messageId: string): AppException {
    if (error instanceof AppException) return error;
    const mapped = mapError(error, 0);
    if (mapped.unexpected) this.logger.error(`answer ${messageId} failed: ${(error as Error).stack ?? String(error)}`);
    return new AppException(mapped.status, mapped.code, mapped.unexpected ? 'Something went wrong while answering; please try again.' : mapped.message);
  }
}
