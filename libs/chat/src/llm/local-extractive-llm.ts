import { setImmediate } from 'node:timers/promises';
import { composeExtractiveAnswer } from './extractive-answer';
import { LlmAbortedError } from './llm-errors';
import type { LlmEvent, LlmPort, LlmRequest } from './llm.port';
import { countMessageTokens, countTextTokens, truncateToTokens } from './token-count';

/** Words per streamed delta: small enough to look like streaming, few enough to be cheap. */
const WORDS_PER_DELTA = 4;

/**
 * The embedded default when no LLM key is configured: answers with the sentences of the
 * retrieved sources that best match the question, each cited, streamed a few words at a time.
 * It never invents text, so it is grounded by construction.
 */
export class LocalExtractiveLlm implements LlmPort {
  readonly provider = 'local';
  readonly model = 'local-extractive';

  async *stream(request: LlmRequest): AsyncGenerator<LlmEvent> {
    const full = composeExtractiveAnswer(request.question, request.sources);
    const answer = truncateToTokens(full, request.maxOutputTokens);
    for (const group of answer.match(new RegExp(`(?:\\S+\\s*){1,${WORDS_PER_DELTA}}`, 'g')) ?? []) {
      // Yield to the event loop between deltas so a client that left is noticed mid-answer.
      await setImmediate();
      if (request.signal.aborted) throw new LlmAbortedError();
      yield { type: 'delta', text: group };
    }
    if (request.signal.aborted) throw new LlmAbortedError();
    yield {
      type: 'done',
      model: this.model,
      finishReason: answer === full ? 'stop' : 'length',
      usage: { inputTokens: countMessageTokens(request.messages), outputTokens: countTextTokens(answer) },
    };
  }
}
