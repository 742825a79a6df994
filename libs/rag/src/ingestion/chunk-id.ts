import { createHash } from 'node:crypto';

/**
 * A chunk's id from what identifies it (document, generation, position): the same job run
 * twice produces the same ids, so rewriting chunks is an idempotent replace. Formatted as a
 * UUID (version 8, "custom") so it fits the uuid column.
 */
export function chunkId(documentId: string, generation: number, index: number): string {
  const h = createHash('sha256').update(`${documentId}:${generation}:${index}`).digest('hex');
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
