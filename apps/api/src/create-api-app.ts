import type { ModuleMetadata } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppConfig, createHttpApp } from '@showroom/core';
import { ApiModule } from './api.module';
import { RealtimeIoAdapter } from './realtime/realtime-io.adapter';
import { serveWebConsole } from './web-console/serve-web-console';

/** Builds the api exactly as production runs it; tests call this too, optionally with extra modules. */
export async function createApiApp(
  config: AppConfig,
  extraImports: NonNullable<ModuleMetadata['imports']> = [],
): Promise<NestExpressApplication> {
  const app = await createHttpApp(ApiModule.forRoot(config, extraImports), config, 'api');
  // Only the api serves WebSockets (ApiModule imports the RealtimeModule); set before init.
  app.useWebSocketAdapter(new RealtimeIoAdapter(app, config));
  serveWebConsole(app);
  return app;
}
