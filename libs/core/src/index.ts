export * from './config/app-config';
export * from './config/env.schema';
export * from './config/config.module';
