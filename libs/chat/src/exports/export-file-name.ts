import { CONTENT_TYPES, type FileFormat } from '@showroom/files';

/**
 * The name a download is saved under, made from text people typed (a conversation title):
 * no path separators, quotes, control or invisible characters, at most 80 characters
 * before the extension. Non-ASCII letters are kept; Express's `res.attachment` writes them
 * as RFC 5987 `filename*` with an ASCII fallback.
 */
export function exportFileName(label: string, day: string, format: FileFormat): string {
  const cleaned = label
    .normalize('NFC')
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, '')
    .replace(/[\\/:*?"<>|;,]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '');
  const base = [...`${cleaned || 'export'} ${day}`].slice(0, 80).join('').trim();
  return `${base}.${format}`;
}

export function contentTypeOf(format: FileFormat): string {
  return CONTENT_TYPES[format];
}
