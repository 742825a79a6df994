import 'reflect-metadata';
import { exitGracefullyOnSignals, runProcess } from '@showroom/core';
import { authConfig } from '@showroom/auth';
import { avatarConfig } from '@showroom/avatar';
import { chatConfig } from '@showroom/chat';
import { filesConfig } from '@showroom/files';
import { ragConfig } from '@showroom/rag';
import { voiceConfig } from '@showroom/voice';
import { createApiApp } from './create-api-app';

// Every domain this process runs brings its config section; one validated config is made of them.
runProcess('api', [authConfig, filesConfig, ragConfig, chatConfig, voiceConfig, avatarConfig], async (config) => {
  const app = await createApiApp(config);
  exitGracefullyOnSignals(app, config);
  await app.listen(config.http.port);
});
