import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import Redis, { RedisOptions } from 'ioredis';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';

/**
 * The one place Redis connections are made.
 *
 * - `shared` serves commands that must fail fast when Redis is away (enqueueing, health,
 *   caches, rate limits): the offline queue is off, so a request gets an error instead of
 *   hanging, and the transactional outbox delivers the job later.
 * - `pipelined` is `shared` for high-rate writers whose commands need not be awaited one by
 *   one (chat's answer journal: a token from each of 1,000 streams): ioredis'
 *   `enableAutoPipelining` sends the commands issued in one event-loop turn as one pipeline,
 *   one socket write instead of one per command, in order.
 * - `blocking()` makes a connection for BullMQ workers, which need blocking commands and
 *   `maxRetriesPerRequest: null` so they wait out a Redis restart instead of crashing.
 */
@Injectable()
export class RedisConnections implements OnApplicationShutdown {
  private readonly logger = new Logger(RedisConnections.name);
  private readonly opened: Redis[] = [];
  readonly shared: Redis;
  readonly pipelined: Redis;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    const failFast: RedisOptions = { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 5_000 };
    this.shared = this.open('shared', failFast);
    // Opened with the process, like `shared`: without an offline queue a connection opened on
    // first use would refuse that use.
    this.pipelined = this.open('pipelined', { ...failFast, enableAutoPipelining: true });
  }

  /** Prefix for every BullMQ key, so several deployments (or test suites) can share a Redis. */
  get bullPrefix(): string {
    return `${this.config.redis.keyPrefix}:bull`;
  }

  /** Prefix for the app's own keys (caches, rate limits). */
  key(...parts: string[]): string {
    return [this.config.redis.keyPrefix, ...parts].join(':');
  }

  blocking(name: string): Redis {
    return this.open(name, { maxRetriesPerRequest: null, enableOfflineQueue: true });
  }

  private open(name: string, options: RedisOptions): Redis {
    const client = new Redis(this.config.redis.url, {
      connectionName: `showroom-${name}`,
      connectTimeout: 5_000,
      // After quit(), a socket that never closes is destroyed this soon rather than holding shutdown 2 s.
      disconnectTimeout: 500,
      retryStrategy: (attempt) => Math.min(attempt * 200, 5_000),
      ...options,
    });
    // Without a listener ioredis prints every reconnect error as unhandled; log it once instead.
    let lastError = '';
    client.on('error', (error: Error) => {
      if (error.message !== lastError) this.logger.warn(`redis ${name}: ${error.message}`);
      lastError = error.message;
    });
    client.on('ready', () => (lastError = ''));
    this.opened.push(client);
    return client;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(
      this.opened.map(async (client) => {
        if (client.status === 'end') return;
        // QUIT is a command: on a connection that is not ready (Redis unreachable) it waits
        // for a reconnect that may never come, holding shutdown. Cut those at once.
        if (client.status !== 'ready') {
          client.disconnect();
          return;
        }
        try {
          await client.quit();
        } catch {
          client.disconnect();
        }
      }),
    );
  }
}
