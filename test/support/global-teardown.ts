import { Client } from 'pg';
import { TEST_ADMIN_DATABASE_URL, suiteDatabasePrefix, templateDatabase } from './test-env';

/** Drops this run's template and any suite database a failed suite left behind. */
export default async function globalTeardown(): Promise<void> {
  const admin = new Client({ connectionString: TEST_ADMIN_DATABASE_URL });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE starts_with(datname, $1) OR datname = $2`, [
      suiteDatabasePrefix(),
      templateDatabase(),
    ]);
    for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
