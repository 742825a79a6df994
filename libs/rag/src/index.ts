// The public face of @showroom/rag: what chat, voice, avatar and the apps use. Everything else is internal.
export { RagModule } from './rag.module';
export { RagHttpModule } from './rag-http.module';
export { ragMigrations } from './migrations/index';
export { DocumentEvents } from './documents/events/document-events';
export type { DealershipDocumentEvent, DocumentProgressEvent } from './documents/events/document-events';
export { SearchService } from './search/search.service';
export { KnowledgeText } from './search/knowledge-text';
export type { SearchHit, SearchMode } from './search/search.service';
export { analyzeText } from './search/lexical/analyze-text';
export { SYNONYM_WEIGHT, questionTermFamilies } from './search/lexical/synonyms';
export { ParseSandbox } from './parsing-sandbox/parse-sandbox';
export { ragConfig, type KnowledgeSettings, type PineconeSettings } from './rag.config';
