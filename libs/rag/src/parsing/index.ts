export { DOCUMENT_TYPES, type DocumentType } from './document-type';
export { DocumentParseError, type DocumentParseErrorCode } from './document-parse-error';
export { parseDocument } from './parse-document';
export type { ParsedDocument, ParsedSection } from './parsed-document';
export { DEFAULT_PARSE_LIMITS, type ParseLimits } from './parse-limits';
export { sniffDocumentType } from './sniff-type';
