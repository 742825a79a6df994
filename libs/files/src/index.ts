// The public face of @showroom/files: what other libs and the apps use.
export { BLOB_STORAGE, type BlobStorage, type OpenedBlob } from './blob/blob-storage.port';
export { FilesModule } from './files.module';
export { filesMigrations } from './migrations/index';
export type { CellValue, DocumentBlock, FileDocument } from './rendering/file-document';
export { CONTENT_TYPES, FILE_FORMATS, isFileFormat, type FileFormat } from './rendering/file-formats';
export { FileTooLargeError, renderToTempFile, type RenderedFile } from './rendering/render-to-file';
export type { RenderOptions } from './rendering/render-options';
export { filesConfig, type BlobStorageSettings } from './files.config';
