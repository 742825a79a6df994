import type { ModuleMetadata } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppConfig, createHttpApp } from '@showroom/core';
import { ApiModule } from './api.module';

/** Builds the api exactly as production runs it; tests call this too, optionally with extra modules. */
export function createApiApp(
  config: AppConfig,
  extraImports: NonNullable<ModuleMetadata['imports']> = [],
): Promise<NestExpressApplication> {
  return createHttpApp(ApiModule.forRoot(config, extraImports), config, 'api');
}
