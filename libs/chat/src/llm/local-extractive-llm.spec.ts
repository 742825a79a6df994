import { NO_SOURCES_ANSWER } from './extractive-answer';
import { isLlmAbort } from './llm-errors';
import type { LlmEvent, LlmRequest, LlmSource } from './llm.port';
import { LocalExtractiveLlm } from './local-extractive-llm';
import { countTextTokens } from './token-count';

describe('LocalExtractiveLlm', () => {
  const sources: LlmSource[] = [
    {
      number: 1,
      title: 'Warranty terms',
      page: 2,
      text: 'Our dealership opened in 1998. Every new vehicle carries a powertrain warranty of five years\nor 100,000 km. Paint is covered for three years.',
    },
    { number: 2, title: 'Financing', page: null, text: 'Financing is available from 3.9% APR. The warranty can be extended to seven years for a fee.' },
  ];
  const request = (overrides: Partial<LlmRequest> = {}): LlmRequest => ({
    messages: [{ role: 'user', content: 'How long is the powertrain warranty?' }],
    sources,
    question: 'How long is the powertrain warranty?',
    maxOutputTokens: 500,
    signal: new AbortController().signal,
    ...overrides,
  });

  async function run(req: LlmRequest) {
    const events: LlmEvent[] = [];
    for await (const event of new LocalExtractiveLlm().stream(req)) events.push(event);
    const deltas = events.filter((e) => e.type === 'delta').map((e) => e.text);
    return { deltas, answer: deltas.join(''), done: events.at(-1) };
  }

  it('answers with the best-matching sentences, each cited, streamed in word groups', async () => {
    const { deltas, answer, done } = await run(request());
    expect(answer.startsWith('Every new vehicle carries a powertrain warranty of five years or 100,000 km. [1]')).toBe(true);
    expect(answer).toContain('The warranty can be extended to seven years for a fee. [2]');
    expect(answer).not.toContain('1998');
    expect(deltas.length).toBeGreaterThan(3);
    expect(done).toEqual({
      type: 'done',
      model: 'local-extractive',
      finishReason: 'stop',
      usage: { inputTokens: expect.any(Number), outputTokens: countTextTokens(answer) },
    });
  });

  it("says it doesn't know when there are no sources", async () => {
    const { answer, done } = await run(request({ sources: [] }));
    expect(answer).toBe(NO_SOURCES_ANSWER);
    expect(answer).toMatch(/don't know/);
    expect(done).toMatchObject({ type: 'done', finishReason: 'stop' });
  });

  it('falls back to the best-ranked source when no sentence shares a word with the question', async () => {
    const { answer } = await run(request({ question: 'Hello?' }));
    expect(answer).toMatch(/^Our dealership opened in 1998\. \[1\]/);
    expect(answer).not.toContain('[2]');
  });

  it('stops at maxOutputTokens and says so in finishReason', async () => {
    const { answer, done } = await run(request({ maxOutputTokens: 5 }));
    expect(countTextTokens(answer)).toBeLessThanOrEqual(5);
    expect(done).toMatchObject({ finishReason: 'length', usage: { outputTokens: countTextTokens(answer) } });
  });

  it('stops with an AbortError when the caller aborts mid-answer', async () => {
    const controller = new AbortController();
    const seen: string[] = [];
    const failure = await (async () => {
      for await (const event of new LocalExtractiveLlm().stream(request({ signal: controller.signal }))) {
        if (event.type === 'delta') seen.push(event.text);
        controller.abort();
      }
    })().catch((error: unknown) => error);
    expect(isLlmAbort(failure)).toBe(true);
    expect(seen).toHaveLength(1);
  });
});
