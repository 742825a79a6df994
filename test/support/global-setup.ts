import { Client } from 'pg';
import { register } from 'tsconfig-paths';
import { TEST_ADMIN_DATABASE_URL, ownerPid, templateDatabase } from './test-env';

/** Builds the migrated template every suite clones its database from (immich's approach). */
export default async function globalSetup(): Promise<void> {
  const admin = new Client({ connectionString: TEST_ADMIN_DATABASE_URL });
  await admin.connect();
  try {
    // Databases left by runs whose jest process is gone (crashed or killed).
    const { rows } = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'showroom\\_%'`);
    for (const { datname } of rows) {
      const pid = ownerPid(datname);
      if (pid !== undefined && !isAlive(pid)) await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`).catch(() => undefined);
    }
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

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
