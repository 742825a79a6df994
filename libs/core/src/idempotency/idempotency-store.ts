import { Injectable } from '@nestjs/common';
import { RedisConnections } from '../redis/redis-connections';

/** Stripe keeps keys 24 hours; so do we. */
export const IDEMPOTENCY_RETENTION_MS = 24 * 3_600_000;
/**
 * How long a key stays "in progress" when its pod dies before finishing: longer than any request
 * runs (an answer is bounded by LLM_TOTAL_TIMEOUT_MS, 2 min by default), short enough that a crash
 * does not block the key for a day.
 */
export const IDEMPOTENCY_IN_PROGRESS_MS = 10 * 60_000;

type StoredRecord =
  | { state: 'running'; fingerprint: string }
  | { state: 'done'; fingerprint: string; status: number; body: unknown }
  | { state: 'streamed'; fingerprint: string };

export type Claim =
  | { kind: 'started' }
  | { kind: 'running' }
  | { kind: 'reused' }
  | { kind: 'replay'; status: number; body: unknown }
  | { kind: 'streamed' };

/**
 * Idempotency records in Redis, shared by every api pod. A key is claimed with SET NX (one
 * request of many racing on any pod wins), then replaced by its outcome. Redis losing its data
 * forgets the keys (a retry then runs again): the same trade as the rate limits.
 */
@Injectable()
export class IdempotencyStore {
  constructor(private readonly redis: RedisConnections) {}

  async claim(scope: string, fingerprint: string): Promise<Claim> {
    const key = this.key(scope);
    const running: StoredRecord = { state: 'running', fingerprint };
    const won = await this.redis.shared.set(key, JSON.stringify(running), 'PX', IDEMPOTENCY_IN_PROGRESS_MS, 'NX');
    if (won === 'OK') return { kind: 'started' };
    const raw = await this.redis.shared.get(key);
    // Expired between the two calls: claim again.
    if (raw === null) return this.claim(scope, fingerprint);
    const record = JSON.parse(raw) as StoredRecord;
    if (record.fingerprint !== fingerprint) return { kind: 'reused' };
    if (record.state === 'running') return { kind: 'running' };
    if (record.state === 'streamed') return { kind: 'streamed' };
    return { kind: 'replay', status: record.status, body: record.body };
  }

  async finish(scope: string, fingerprint: string, status: number, body: unknown): Promise<void> {
    await this.save(scope, { state: 'done', fingerprint, status, body: body ?? null });
  }

  async finishStream(scope: string, fingerprint: string): Promise<void> {
    await this.save(scope, { state: 'streamed', fingerprint });
  }

  /** The request failed: forget the key so the client's retry runs again (nothing was half-written). */
  async release(scope: string): Promise<void> {
    await this.redis.shared.del(this.key(scope));
  }

  private async save(scope: string, record: StoredRecord): Promise<void> {
    await this.redis.shared.set(this.key(scope), JSON.stringify(record), 'PX', IDEMPOTENCY_RETENTION_MS);
  }

  private key(scope: string): string {
    return this.redis.key('idempotency', scope);
  }
}
