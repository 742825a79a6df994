import type { DataSourceOptions } from 'typeorm';
import { AppConfig } from '../config/app-config';

type EntityList = NonNullable<DataSourceOptions['entities']>;
// TypeORM accepts migration classes or glob strings; we always pass classes.
type MigrationList = NonNullable<DataSourceOptions['migrations']>;

/**
 * The single description of the Postgres connection, used by the api, the worker and the
 * migration runner. Schema changes only ever go through migrations: `synchronize` is off
 * everywhere, and the apps do not run migrations themselves (a k8s Job or `npm run migrate` does).
 */
export function dataSourceOptions(
  config: AppConfig,
  extra: { entities?: EntityList; migrations?: MigrationList } = {},
): DataSourceOptions {
  return {
    type: 'postgres',
    url: config.database.url,
    ssl: config.database.ssl ? { rejectUnauthorized: true } : false,
    entities: extra.entities ?? [],
    migrations: extra.migrations ?? [],
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    logging: ['error', 'warn', 'migration'],
    extra: {
      max: config.database.poolSize,
      statement_timeout: config.database.statementTimeoutMs,
      // Also how long a query waits for a free pooled connection: past it the request fails
      // fast with 503 SERVICE_BUSY (the pod is overloaded) rather than queueing for ever.
      connectionTimeoutMillis: config.database.acquireTimeoutMs,
      application_name: 'showroom',
    },
  };
}
