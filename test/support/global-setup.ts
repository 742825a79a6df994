import { Client } from 'pg';
import { register } from 'tsconfig-paths';
import { TEMPLATE_DATABASE, TEST_ADMIN_DATABASE_URL } from './test-env';

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
  // Jest's moduleNameMapper does not apply to globalSetup; resolve the lib aliases here instead.
  register({ baseUrl: `${__dirname}/../..`, paths: { '@showroom/*': ['libs/*/src'] } });
  // Loaded only after the aliases are registered.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { migrateTemplate } = require('./migrate-template') as { migrateTemplate: () => Promise<void> };
  await migrateTemplate();
}
