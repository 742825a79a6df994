export * from './ingestion/ingestion.jobs';
export * from './migrations';
export * from './rag-http.module';
export * from './rag.module';
