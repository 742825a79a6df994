import { AppConfig, loadConfig } from '@showroom/core';
import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { CONFIG_SECTIONS } from './config-sections';
import { TEST_ADMIN_DATABASE_URL, TEST_REDIS_URL, databaseUrl, suiteDatabasePrefix, templateDatabase } from './test-env';

/**
 * A suite's own world: a fresh database cloned from the migrated template and a Redis key
 * prefix nobody else uses. `config()` gives the validated config for apps built in the suite.
 */
export class TestContext {
  readonly id = randomBytes(5).toString('hex');
  readonly database = `${suiteDatabasePrefix()}${this.id}`;
  readonly redisPrefix = `test-${this.id}`;
  readonly redis = new Redis(TEST_REDIS_URL, { lazyConnect: true });
  readonly db = new Client({ connectionString: databaseUrl(this.database) });

  static async create(): Promise<TestContext> {
    const context = new TestContext();
    // A suite that dies early leaves this connection to be cut by the teardown; do not crash on it.
    context.db.on('error', () => undefined);
    await withAdmin((admin) => admin.query(`CREATE DATABASE ${context.database} TEMPLATE ${templateDatabase()}`));
    await context.db.connect();
    await context.redis.connect();
    return context;
  }

  config(overrides: Record<string, string> = {}): AppConfig {
    return loadConfig(
      {
        DATABASE_URL: databaseUrl(this.database),
        DATABASE_POOL_SIZE: '4',
        REDIS_URL: TEST_REDIS_URL,
        REDIS_KEY_PREFIX: this.redisPrefix,
        LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
        // One secret for every app of the suite, so a token from one api instance works on another.
        JWT_SECRET: `test-secret-${this.id}-0123456789abcdefghijklmnop`,
        PORT: '0',
        WORKER_PORT: '0',
        ...overrides,
      },
      CONFIG_SECTIONS,
    );
  }

  /** Deletes every Redis key of this suite: what a FLUSHALL would do to a deployment. */
  async flushRedis(): Promise<void> {
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${this.redisPrefix}:*`, 'COUNT', 1000);
      if (keys.length > 0) await this.redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  }

  async dispose(): Promise<void> {
    await this.flushRedis();
    await this.redis.quit();
    await this.db.end();
    await withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS ${this.database} WITH (FORCE)`));
  }
}

async function withAdmin<T>(fn: (admin: Client) => Promise<T>): Promise<T> {
  const admin = new Client({ connectionString: TEST_ADMIN_DATABASE_URL });
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.end();
  }
}
