export * from './rag.module';
