import type { ModuleMetadata } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppConfig, configureHttpApp } from '@showroom/core';
import { WorkerModule } from './worker.module';

/** Builds the worker exactly as production runs it; tests call this too. */
export async function createWorkerApp(
  config: AppConfig,
  extraImports: NonNullable<ModuleMetadata['imports']> = [],
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(WorkerModule.forRoot(config, extraImports), {
    bodyParser: false,
    // Start-up errors reach the caller (runProcess exits with the reason) instead of Nest exiting on its own.
    abortOnError: false,
    bufferLogs: true,
  });
  configureHttpApp(app, config, 'worker');
  return app;
}
