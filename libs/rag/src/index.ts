export { DocumentEvents } from './documents/events/document-events';
export type { DealershipDocumentEvent, DocumentProgressEvent } from './documents/events/document-events';
export * from './ingestion/ingestion.jobs';
export * from './migrations';
export * from './rag-http.module';
export * from './rag.module';
export { SearchService } from './search/search.service';
export type { SearchHit, SearchMode } from './search/search.service';
export { ParseSandbox } from './parsing-sandbox/parse-sandbox';
