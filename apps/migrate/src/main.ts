import 'reflect-metadata';
import { runProcess } from '@showroom/core';
import { authConfig } from '@showroom/auth';
import { avatarConfig } from '@showroom/avatar';
import { chatConfig } from '@showroom/chat';
import { filesConfig } from '@showroom/files';
import { ragConfig } from '@showroom/rag';
import { voiceConfig } from '@showroom/voice';
import { runMigrations } from './run-migrations';

// Every domain this process runs brings its config section; one validated config is made of them.
runProcess('migrate', [authConfig, filesConfig, ragConfig, chatConfig, voiceConfig, avatarConfig], async (config) => {
  const applied = await runMigrations(config);
  process.stdout.write(
    JSON.stringify({ level: 'info', msg: applied.length ? `applied ${applied.length} migration(s)` : 'schema is up to date', applied }) + '\n',
  );
});
