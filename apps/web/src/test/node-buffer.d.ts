// The test setup takes Node's Blob and File (see setup.ts); declared here so the console's
// types stay browser-only (no @types/node in apps/web).
declare module 'node:buffer' {
  export const Blob: typeof globalThis.Blob;
  export const File: typeof globalThis.File;
}
