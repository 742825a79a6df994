import 'reflect-metadata';
import { exitGracefullyOnSignals, runProcess } from '@showroom/core';
import { createWorkerApp } from './create-worker-app';

runProcess('worker', async (config) => {
  const app = await createWorkerApp(config);
  exitGracefullyOnSignals(app, config);
  await app.listen(config.http.workerPort);
});
