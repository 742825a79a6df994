import { Inject, Injectable } from '@nestjs/common';
import { RedisConnections } from '@showroom/core';
import { createHash } from 'node:crypto';
import { EMBEDDER, type Embedder } from './embedder.port';

const TTL_SECONDS = 3600;

/**
 * Query vectors cached in Redis for an hour, keyed by model and query text: staff ask the
 * same questions all day, and a hosted embedding call costs money and ~100 ms. A Redis
 * error only means computing the vector again.
 */
@Injectable()
export class QueryEmbeddingCache {
  constructor(
    @Inject(EMBEDDER) private readonly embedder: Embedder,
    private readonly redis: RedisConnections,
  ) {}

  async embedQuery(query: string): Promise<number[]> {
    const key = this.redis.key('query-embedding', this.embedder.model, createHash('sha256').update(query).digest('hex'));
    const cached = await this.redis.shared.getBuffer(key).catch(() => null);
    if (cached && cached.length === this.embedder.dimensions * 4) {
      // Copy first: ioredis hands out slices of a shared buffer, not aligned for a Float32Array view.
      return Array.from(new Float32Array(new Uint8Array(cached).buffer));
    }
    const [vector] = await this.embedder.embed([query]);
    await this.redis.shared.set(key, Buffer.from(new Float32Array(vector).buffer), 'EX', TTL_SECONDS).catch(() => undefined);
    return vector;
  }
}
