export * from './voice.module';
