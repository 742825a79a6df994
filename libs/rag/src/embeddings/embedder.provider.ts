import type { FactoryProvider } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@showroom/core';
import { EMBEDDER, type Embedder } from './embedder.port';
import { LexicalHashEmbedder } from './lexical-hash-embedder';
import { OpenAIEmbedder } from './openai-embedder';

/** Picks the embedder adapter from EMBEDDING_PROVIDER (config validation ensures its key is set). */
export const embedderProvider: FactoryProvider<Embedder> = {
  provide: EMBEDDER,
  inject: [APP_CONFIG],
  useFactory: (config: AppConfig): Embedder => {
    const { embeddingProvider, embeddingDimensions } = config.knowledge;
    if (embeddingProvider === 'openai') {
      return new OpenAIEmbedder({
        apiKey: config.openai.apiKey!,
        baseUrl: config.openai.baseUrl,
        model: config.knowledge.embeddingModel,
        dimensions: embeddingDimensions,
        timeoutMs: config.providers.timeoutMs,
        maxRetries: config.providers.maxRetries,
      });
    }
    return new LexicalHashEmbedder(embeddingDimensions);
  },
};
