import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { Blob as NodeBlob, File as NodeFile } from 'node:buffer';
import { afterEach } from 'vitest';

// jsdom's File, Blob and FormData are not the ones Node's fetch (undici) serialises: a jsdom
// File in a FormData request body arrives as an empty "blob". Browsers have one set; give the
// tests Node's, so an upload's bytes and file name reach the fake api as they reach the real one.
const NodeFormData = (await new Response('', { headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }).formData()).constructor;
for (const target of [globalThis, window]) Object.assign(target, { Blob: NodeBlob, File: NodeFile, FormData: NodeFormData });

afterEach(() => {
  cleanup();
  localStorage.clear();
});
