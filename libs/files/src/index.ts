export * from './blob/blob-storage.port';
export * from './files.module';
export * from './migrations';
