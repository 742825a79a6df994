import type { FactoryProvider } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@showroom/core';
import { EMBEDDER, type Embedder } from './embedder.port';
import { LexicalHashEmbedder } from './lexical-hash-embedder';

/** Picks the embedder adapter from config (the OpenAI adapter joins this switch). */
export const embedderProvider: FactoryProvider<Embedder> = {
  provide: EMBEDDER,
  inject: [APP_CONFIG],
  useFactory: (config: AppConfig) => {
    switch (config.knowledge.embeddingProvider) {
      case 'local':
        return new LexicalHashEmbedder(config.knowledge.embeddingDimensions);
    }
  },
};
