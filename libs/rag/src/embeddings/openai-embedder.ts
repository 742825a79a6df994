import OpenAI from 'openai';
import { providerBreaker } from '@showroom/core';
import type { Embedder } from './embedder.port';

export interface OpenAIEmbedderOptions {
  apiKey: string;
  baseUrl: string;
  model: string;
  dimensions: number;
  timeoutMs: number;
  maxRetries: number;
}

/**
 * Embeddings from OpenAI (or any server speaking its API) through the official SDK, which
 * brings per-call timeouts and bounded retries with backoff; a circuit breaker fails fast
 * while the provider is down. Vectors come back unit length from the text-embedding-3 models.
 */
export class OpenAIEmbedder implements Embedder {
  readonly model: string;
  readonly dimensions: number;
  /** Semantic embeddings: unrelated texts score around 0 to 0.15 with text-embedding-3. */
  readonly relevanceFloor = 0.2;
  private readonly call: (texts: string[]) => Promise<number[][]>;

  constructor(options: OpenAIEmbedderOptions) {
    this.model = options.model;
    this.dimensions = options.dimensions;
    const client = new OpenAI({ apiKey: options.apiKey, baseURL: options.baseUrl, timeout: options.timeoutMs, maxRetries: options.maxRetries });
    this.call = providerBreaker('OpenAI embeddings', async (texts: string[]) => {
      const response = await client.embeddings.create({ model: this.model, input: texts, dimensions: this.dimensions });
      return [...response.data].sort((a, b) => a.index - b.index).map((item) => item.embedding);
    });
  }

  embed(texts: string[]): Promise<number[][]> {
    return texts.length === 0 ? Promise.resolve([]) : this.call(texts);
  }
}
