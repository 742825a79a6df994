import { Client } from 'pg';
import { register } from 'tsconfig-paths';
import { TEMPLATE_DATABASE, TEST_ADMIN_DATABASE_URL, TEST_REDIS_URL, databaseUrl } from './test-env';

// Jest's moduleNameMapper does not apply to globalSetup; resolve the lib aliases here instead.
register({ baseUrl: `${__dirname}/../..`, paths: { '@showroom/*': ['libs/*/src'] } });

/** Builds the migrated template every suite clones its database from (immich's approach). */
export default async function globalSetup(): Promise<void> {
  const admin = new Client({ connectionString: TEST_ADMIN_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DATABASE} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
  } finally {
    await admin.end();
  }
  const { loadConfig } = await import('@showroom/core');
  const { runMigrations } = await import('../../apps/migrate/src/run-migrations');
  await runMigrations(
    loadConfig({ DATABASE_URL: databaseUrl(TEMPLATE_DATABASE), REDIS_URL: TEST_REDIS_URL, LOG_LEVEL: 'warn' }),
  );
}
