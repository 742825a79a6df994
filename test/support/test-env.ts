/**
 * The Postgres server and template database the tests use. Tests honour DATABASE_URL and
 * REDIS_URL when set (CI points them at its own services); otherwise the local defaults.
 */
export const TEST_ADMIN_DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const TEMPLATE_DATABASE = 'showroom_test_template';

export function databaseUrl(database: string): string {
  const url = new URL(TEST_ADMIN_DATABASE_URL);
  url.pathname = `/${database}`;
  return url.toString();
}
