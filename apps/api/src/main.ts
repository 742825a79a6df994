import 'reflect-metadata';
import { exitGracefullyOnSignals, runProcess } from '@showroom/core';
import { createApiApp } from './create-api-app';

runProcess('api', async (config) => {
  const app = await createApiApp(config);
  exitGracefullyOnSignals(app, config);
  await app.listen(config.http.port);
});
