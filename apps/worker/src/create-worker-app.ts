import type { ModuleMetadata } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppConfig, createHttpApp } from '@showroom/core';
import { WorkerModule } from './worker.module';

/** Builds the worker exactly as production runs it; tests call this too, optionally with extra modules. */
export function createWorkerApp(
  config: AppConfig,
  extraImports: NonNullable<ModuleMetadata['imports']> = [],
): Promise<NestExpressApplication> {
  return createHttpApp(WorkerModule.forRoot(config, extraImports), config, 'worker');
}
