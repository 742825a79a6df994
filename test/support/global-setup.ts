import { Client } from 'pg';
import { register } from 'tsconfig-paths';
import { TEST_ADMIN_DATABASE_URL, templateDatabase } from './test-env';

/** Builds the migrated template every suite clones its database from (immich's approach). */
export default async function globalSetup(): Promise<void> {
  const admin = new Client({ connectionString: TEST_ADMIN_DATABASE_URL });
  await admin.connect();
  try {
    // Databases of runs that crashed: nobody is connected to them any more.
    const { rows } = await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database d
        WHERE (datname LIKE 'showroom\\_suite\\_%' OR datname LIKE 'showroom\\_template\\_%' OR datname = 'showroom_test_template')
          AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datname = d.datname)`,
    );
    for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS ${datname}`).catch(() => undefined);
    await admin.query(`CREATE DATABASE ${templateDatabase()}`);
  } finally {
    await admin.end();
  }
  // Jest's moduleNameMapper does not apply to globalSetup; resolve the lib aliases here instead.
  register({ baseUrl: `${__dirname}/../..`, paths: { '@showroom/*': ['libs/*/src'] } });
  // Loaded only after the aliases are registered.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { migrateTemplate } = require('./migrate-template') as { migrateTemplate: () => Promise<void> };
  await migrateTemplate();
}
