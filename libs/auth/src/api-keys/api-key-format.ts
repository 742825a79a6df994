import { randomBytes } from 'node:crypto';
import { newOpaqueToken } from '../tokens/opaque-token';

/**
 * `shr_<prefix>_<secret>`: the prefix finds the row (and is safe to show in lists), the
 * secret is 256 random bits stored as a hash. The `shr_` mark tells keys from JWTs in the
 * same Authorization header and makes leaked keys easy to scan for.
 */
const KEY_PATTERN = /^shr_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

export function newApiKey(): { prefix: string; secret: string; key: string } {
  const prefix = randomBytes(6).toString('hex');
  const secret = newOpaqueToken();
  return { prefix, secret, key: `shr_${prefix}_${secret}` };
}

export function parseApiKey(key: string): { prefix: string; secret: string } | undefined {
  const match = KEY_PATTERN.exec(key);
  return match ? { prefix: match[1], secret: match[2] } : undefined;
}
