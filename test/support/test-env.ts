/**
 * The Postgres server and template database the tests use. Tests honour DATABASE_URL and
 * REDIS_URL when set (CI points them at its own services); otherwise the local defaults.
 */
export const TEST_ADMIN_DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Each `jest` run has its own id (set by the global setup, inherited by the workers), so two
 * runs on one machine — two engineers, or CI beside a developer — never drop each other's
 * databases.
 */
export function testRunId(): string {
  process.env.SHOWROOM_TEST_RUN ??= `${process.pid}_${Date.now().toString(36)}`;
  return process.env.SHOWROOM_TEST_RUN;
}

/** The pid of the jest process that made a test database, or undefined for other names. */
export function ownerPid(database: string): number | undefined {
  const match = /^showroom_(?:suite|template)_(\d+)_/.exec(database);
  return match ? Number(match[1]) : undefined;
}

export const templateDatabase = () => `showroom_template_${testRunId()}`;
export const suiteDatabasePrefix = () => `showroom_suite_${testRunId()}_`;

export function databaseUrl(database: string): string {
  const url = new URL(TEST_ADMIN_DATABASE_URL);
  url.pathname = `/${database}`;
  return url.toString();
}
