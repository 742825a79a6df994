import 'reflect-metadata';
import { runProcess } from '@showroom/core';
import { runMigrations } from './run-migrations';

runProcess('migrate', async (config) => {
  const applied = await runMigrations(config);
  process.stdout.write(
    JSON.stringify({ level: 'info', msg: applied.length ? `applied ${applied.length} migration(s)` : 'schema is up to date', applied }) + '\n',
  );
});
