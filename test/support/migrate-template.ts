import { loadConfig } from '@showroom/core';
import { runMigrations } from '../../apps/migrate/src/run-migrations';
import { CONFIG_SECTIONS } from './config-sections';
import { templateDatabase, TEST_REDIS_URL, databaseUrl } from './test-env';

export async function migrateTemplate(): Promise<void> {
  await runMigrations(loadConfig({ DATABASE_URL: databaseUrl(templateDatabase()), REDIS_URL: TEST_REDIS_URL, LOG_LEVEL: 'warn' }, CONFIG_SECTIONS));
}
