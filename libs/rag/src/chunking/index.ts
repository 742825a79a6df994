export { chunkDocument, DEFAULT_CHUNK_OPTIONS, type ChunkOptions, type DocumentChunk } from './chunk-document';
export { TOKENIZER_ENCODING, countTokens } from './tokenizer';
