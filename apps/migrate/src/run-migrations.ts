import { AppConfig, dataSourceOptions } from '@showroom/core';
import { DataSource } from 'typeorm';
import { allMigrations } from './all-migrations';

// Any constant shared by every runner: two Jobs started at once take turns instead of racing.
const MIGRATION_LOCK_ID = 4_227_001;

/** Applies pending migrations and returns their names. */
export async function runMigrations(config: AppConfig): Promise<string[]> {
  const dataSource = new DataSource({ ...dataSourceOptions(config, { migrations: allMigrations }), logging: ['error'] });
  await dataSource.initialize();
  // The lock lives on its own connection, so it is held by one session from lock to unlock.
  const lock = dataSource.createQueryRunner();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]);
    return applied.map((m) => m.name);
  } finally {
    await lock.release();
    await dataSource.destroy();
  }
}
