/** Vectors travel to and from Postgres as raw float32 little-endian bytes (bytea). */
export function toFloat32Bytes(vector: number[]): Buffer {
  return Buffer.from(Float32Array.from(vector).buffer);
}

/**
 * Dot product of a query vector with a stored one, read straight from the bytes (no copy,
 * no parsing): for unit vectors this is the cosine similarity.
 */
export function dotFloat32Bytes(query: Float32Array, stored: Buffer): number {
  // A typed-array view needs 4-byte alignment; node-postgres' buffers usually have it, and
  // a misaligned one is copied (cheaper than reading floats one by one).
  const vector =
    stored.byteOffset % 4 === 0
      ? new Float32Array(stored.buffer, stored.byteOffset, stored.length >>> 2)
      : new Float32Array(stored.buffer.slice(stored.byteOffset, stored.byteOffset + stored.length));
  const length = Math.min(query.length, vector.length);
  let sum = 0;
  for (let i = 0; i < length; i += 1) sum += query[i] * vector[i];
  return sum;
}
