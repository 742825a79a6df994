import type { FactoryProvider } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@showroom/core';
import { LlmMetrics, withLlmMetrics } from './llm-metrics';
import { LLM, type LlmPort } from './llm.port';
import { LocalExtractiveLlm } from './local-extractive-llm';
import { OpenAiChatLlm } from './openai-chat-llm';

/** The adapter LLM_PROVIDER names (config validation ensures a key is set for openai). */
export function createLlm(config: AppConfig): LlmPort {
  const llm = config.llm;
  if (llm.provider === 'openai') {
    return new OpenAiChatLlm({
      apiKey: llm.apiKey!,
      baseUrl: llm.baseUrl,
      model: llm.model,
      firstTokenTimeoutMs: llm.firstTokenTimeoutMs,
      totalTimeoutMs: llm.totalTimeoutMs,
      maxRetries: llm.maxRetries,
      readIntervalMs: llm.streamReadIntervalMs,
      readIntervalMaxMs: llm.streamReadIntervalMaxMs,
    });
  }
  return new LocalExtractiveLlm();
}

/** Provides LLM: the configured adapter, measured by LlmMetrics (which must be provided too). */
export const llmProvider: FactoryProvider<LlmPort> = {
  provide: LLM,
  inject: [APP_CONFIG, LlmMetrics],
  useFactory: (config: AppConfig, metrics: LlmMetrics): LlmPort => withLlmMetrics(createLlm(config), metrics),
};
