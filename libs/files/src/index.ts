export * from './blob/blob-storage.port';
export * from './files.module';
export * from './migrations';
export type { CellValue, DocumentBlock, FileDocument } from './rendering/file-document';
export { CONTENT_TYPES, FILE_FORMATS, isFileFormat, type FileFormat } from './rendering/file-formats';
export { FileTooLargeError, renderToTempFile, type RenderedFile } from './rendering/render-to-file';
export type { RenderOptions } from './rendering/render-options';
