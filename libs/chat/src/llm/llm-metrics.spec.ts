import { MetricsRegistry } from '@showroom/core';
import { LlmMetrics, withLlmMetrics } from './llm-metrics';
import type { LlmPort, LlmRequest } from './llm.port';
import { LocalExtractiveLlm } from './local-extractive-llm';

describe('LlmMetrics', () => {
  const request = (signal = new AbortController().signal): LlmRequest => ({
    messages: [{ role: 'user', content: 'How long is the warranty?' }],
    sources: [{ number: 1, title: 'Warranty', page: 1, text: 'The warranty lasts five years.' }],
    question: 'How long is the warranty?',
    maxOutputTokens: 100,
    signal,
  });

  async function drain(llm: LlmPort, req: LlmRequest): Promise<void> {
    for await (const event of llm.stream(req)) void event;
  }

  it('records time to first token, latency by outcome and tokens by provider and model', async () => {
    const registry = new MetricsRegistry('test');
    const llm = withLlmMetrics(new LocalExtractiveLlm(), new LlmMetrics(registry));
    await drain(llm, request());
    const aborted = new AbortController();
    aborted.abort();
    await expect(drain(llm, request(aborted.signal))).rejects.toThrow();

    const local = { provider: 'local', model: 'local-extractive' };
    expect(await sample(registry, 'llm_time_to_first_token_seconds', '_count', local)).toBe(1);
    expect(await sample(registry, 'llm_request_duration_seconds', '_count', { ...local, outcome: 'ok' })).toBe(1);
    expect(await sample(registry, 'llm_request_duration_seconds', '_count', { ...local, outcome: 'aborted' })).toBe(1);
    expect(await sample(registry, 'llm_tokens_total', '', { ...local, direction: 'input' })).toBeGreaterThan(0);
    expect(await sample(registry, 'llm_tokens_total', '', { ...local, direction: 'output' })).toBeGreaterThan(0);
  });
});

/** The value of one series (`suffix` picks a histogram's _count or _sum), or undefined. */
async function sample(registry: MetricsRegistry, name: string, suffix: string, labels: Record<string, string>): Promise<number | undefined> {
  const metric = await registry.getSingleMetric(name)?.get();
  return metric?.values.find(
    (v) => ((v as { metricName?: string }).metricName ?? name) === `${name}${suffix}` && Object.entries(labels).every(([key, value]) => v.labels[key] === value),
  )?.value;
}
