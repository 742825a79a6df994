import { corruptFile } from '../document-parse-error';
import { decodeUtf8Text, normalizeLineEndings } from '../utf8-text';

/** The text of a text-format upload; the sniffer has already checked it, this guards direct calls. */
export function decodeTextDocument(bytes: Buffer, formatName: string): string {
  const text = decodeUtf8Text(bytes);
  if (text === undefined) throw corruptFile(formatName, new Error('not valid UTF-8 text'));
  return normalizeLineEndings(text);
}
