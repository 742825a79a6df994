import 'reflect-metadata';
import { exitGracefullyOnSignals, runProcess } from '@showroom/core';
import { authConfig } from '@showroom/auth';
import { avatarConfig } from '@showroom/avatar';
import { chatConfig } from '@showroom/chat';
import { filesConfig } from '@showroom/files';
import { ragConfig } from '@showroom/rag';
import { voiceConfig } from '@showroom/voice';
import { createWorkerApp } from './create-worker-app';

// Every domain this process runs brings its config section; one validated config is made of them.
runProcess('worker', [authConfig, filesConfig, ragConfig, chatConfig, voiceConfig, avatarConfig], async (config) => {
  const app = await createWorkerApp(config);
  exitGracefullyOnSignals(app, config);
  await app.listen(config.http.workerPort);
});
