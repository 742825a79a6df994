import { AppConfig, MetricsRegistry } from '@showroom/core';
import { LlmMetrics } from './llm-metrics';
import { llmProvider } from './llm.provider';

describe('llmProvider', () => {
  const config = (provider: 'local' | 'openai') =>
    ({
      llm: {
        provider,
        apiKey: 'sk-test',
        baseUrl: 'http://127.0.0.1:9/v1',
        model: 'gpt-4o-mini',
        firstTokenTimeoutMs: 1_000,
        totalTimeoutMs: 2_000,
        maxRetries: 0,
        maxOutputTokens: 100,
        prices: {},
      },
    }) as unknown as AppConfig;
  const metrics = new LlmMetrics(new MetricsRegistry('test'));

  it('picks the local extractive responder by default and OpenAI when configured', () => {
    expect(llmProvider.useFactory(config('local'), metrics)).toMatchObject({ provider: 'local', model: 'local-extractive' });
    expect(llmProvider.useFactory(config('openai'), metrics)).toMatchObject({ provider: 'openai', model: 'gpt-4o-mini' });
  });
});
