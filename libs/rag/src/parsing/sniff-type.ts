import { fileTypeFromBuffer } from 'file-type';
import type { DocumentType } from './document-type';
import { classifyText } from './text-type';
import { decodeUtf8Text } from './utf8-text';
import { listZipEntries } from './zip-archive';

// file-type names some zips by what it finds in them; all of these are zips underneath.
const ZIP_FAMILY = new Set(['zip', 'docx', 'xlsx']);
// Enough for any real Office file; the parser enforces the configured limit later.
const SNIFF_MAX_ENTRIES = 100_000;

/**
 * The document type the bytes are, or undefined for anything we do not ingest (an executable
 * renamed .pdf, an image, random bytes, an empty file). Binary formats are recognised by their
 * magic bytes with file-type, Word and Excel files by the parts their zip holds; text formats by
 * their content. The file name never overrides the bytes: its extension only breaks a tie
 * between CSV, Markdown and plain text. Async because file-type and the zip reader are.
 */
export async function sniffDocumentType(bytes: Buffer, fileName?: string): Promise<DocumentType | undefined> {
  if (bytes.length === 0) return undefined;
  const detected = await fileTypeFromBuffer(bytes);
  if (detected?.ext === 'pdf') return 'pdf';
  if (detected && ZIP_FAMILY.has(detected.ext)) return officeTypeOfZip(bytes, detected.ext);
  // Anything else with magic bytes is a format we do not take, except XML-flavoured HTML.
  if (detected && detected.ext !== 'xml') return undefined;
  const text = decodeUtf8Text(bytes);
  if (text === undefined) return undefined;
  const type = classifyText(text, fileName);
  return detected?.ext === 'xml' && type !== 'html' ? undefined : type;
}

/**
 * DOCX or XLSX by the main part the zip's central directory lists. When the directory cannot be
 * read (a truncated upload), file-type's verdict from the local headers stands, so the parser
 * reports the file as damaged instead of the upload being refused as an unknown type.
 */
async function officeTypeOfZip(bytes: Buffer, fileTypeGuess: string): Promise<DocumentType | undefined> {
  let names: Set<string>;
  try {
    names = new Set((await listZipEntries(bytes, SNIFF_MAX_ENTRIES)).map((entry) => entry.name));
  } catch {
    return fileTypeGuess === 'docx' || fileTypeGuess === 'xlsx' ? fileTypeGuess : undefined;
  }
  if (names.has('word/document.xml')) return 'docx';
  if (names.has('xl/workbook.xml')) return 'xlsx';
  return undefined;
}
