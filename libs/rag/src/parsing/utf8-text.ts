// fatal: invalid UTF-8 throws instead of becoming U+FFFD, so binary data cannot pass for text.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

const MAX_CONTROL_CHAR_SHARE = 0.01;
const TEXT_CONTROL_CHARS = new Set(['\t', '\n', '\f', '\r']);

/**
 * The bytes as text when they are plausibly a text file: valid UTF-8 (a leading BOM is
 * dropped), no NUL byte, and hardly any control characters. Undefined for anything binary.
 */
export function decodeUtf8Text(bytes: Uint8Array): string | undefined {
  if (bytes.includes(0)) return undefined;
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
  return countBinaryControlChars(text) > text.length * MAX_CONTROL_CHAR_SHARE ? undefined : text;
}

/** C0 controls other than tab, line feed, form feed and carriage return, and DEL: text has few. */
function countBinaryControlChars(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code < 0x20 || code === 0x7f) && !TEXT_CONTROL_CHARS.has(text[i])) count++;
  }
  return count;
}

/** Line endings as \n, so every text format splits lines and paragraphs the same way. */
export function normalizeLineEndings(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}
