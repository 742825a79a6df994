import { fromBuffer, type Entry, type ZipFile } from 'yauzl';
import { DocumentParseError, corruptFile } from './document-parse-error';
import type { ResolvedParseLimits } from './parse-limits';

export interface ZipEntrySummary {
  name: string;
  compressedSize: number;
  uncompressedSize: number;
}

// Small XML parts compress very well and harmlessly; the ratio only matters for big entries.
const RATIO_CHECK_MIN_BYTES = 1024 * 1024;

/** The entries a zip's central directory declares, without inflating anything. */
export async function listZipEntries(bytes: Buffer, maxEntries: number): Promise<ZipEntrySummary[]> {
  const zip = await openZip(bytes);
  if (zip.entryCount > maxEntries) {
    zip.close();
    throw archiveTooLarge(`it holds ${zip.entryCount} files (the limit is ${maxEntries})`);
  }
  const entries: ZipEntrySummary[] = [];
  await forEachEntry(zip, async (entry) => {
    entries.push({ name: entry.fileName, compressedSize: entry.compressedSize, uncompressedSize: entry.uncompressedSize });
  });
  return entries;
}

/**
 * Refuses an archive that would inflate past the limits, before a library such as mammoth or
 * exceljs inflates it whole in memory. First from the sizes the central directory declares;
 * then by streaming every entry once through yauzl, which stops an entry the moment it inflates
 * past its declared size, so a zip that lies about its sizes is caught with memory bounded by
 * one stream buffer.
 */
export async function assertZipWithinLimits(bytes: Buffer, formatName: string, limits: ResolvedParseLimits): Promise<void> {
  try {
    const entries = await listZipEntries(bytes, limits.maxArchiveEntries);
    assertDeclaredSizesWithinLimits(entries, limits);
    const zip = await openZip(bytes);
    await forEachEntry(zip, (entry) => drain(zip, entry));
  } catch (error) {
    throw asParseError(error, formatName);
  }
}

function assertDeclaredSizesWithinLimits(entries: ZipEntrySummary[], limits: ResolvedParseLimits): void {
  const declaredBytes = entries.reduce((sum, entry) => sum + entry.uncompressedSize, 0);
  if (declaredBytes > limits.maxUncompressedBytes) {
    throw archiveTooLarge(`it unpacks to ${megabytes(declaredBytes)} (the limit is ${megabytes(limits.maxUncompressedBytes)})`);
  }
  const bomb = entries.find(
    (entry) =>
      entry.uncompressedSize >= RATIO_CHECK_MIN_BYTES &&
      entry.uncompressedSize > Math.max(entry.compressedSize, 1) * limits.maxCompressionRatio,
  );
  if (bomb) {
    throw archiveTooLarge(`part of it is compressed more than ${limits.maxCompressionRatio} times, as zip bombs are`);
  }
}

function asParseError(error: unknown, formatName: string): DocumentParseError {
  if (error instanceof DocumentParseError) return error;
  // yauzl's own wording when an entry inflates beyond the size the directory declared.
  if (error instanceof Error && /too many bytes in the stream/.test(error.message)) {
    return archiveTooLarge('its contents are larger than the archive declares');
  }
  return corruptFile(formatName, error);
}

function drain(zip: ZipFile, entry: Entry): Promise<void> {
  if (entry.fileName.endsWith('/')) return Promise.resolve();
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream) => {
      if (error) return reject(error);
      stream.on('error', reject);
      stream.on('end', resolve);
      stream.resume();
    });
  });
}

function openZip(bytes: Buffer): Promise<ZipFile> {
  return new Promise((resolve, reject) => {
    fromBuffer(bytes, { lazyEntries: true, validateEntrySizes: true }, (error, zip) => (error ? reject(error) : resolve(zip)));
  });
}

/** Visits entries one at a time (lazyEntries), so a failing visit stops the walk. */
function forEachEntry(zip: ZipFile, visit: (entry: Entry) => Promise<void>): Promise<void> {
  return new Promise((resolve, reject) => {
    const fail = (error: unknown) => {
      zip.close();
      reject(error);
    };
    zip.on('error', fail);
    zip.on('end', () => resolve());
    zip.on('entry', (entry: Entry) => {
      visit(entry).then(() => zip.readEntry(), fail);
    });
    zip.readEntry();
  });
}

function archiveTooLarge(reason: string): DocumentParseError {
  return new DocumentParseError(
    'ARCHIVE_TOO_LARGE',
    `This file cannot be processed safely because ${reason}. Save it again from Word or Excel, or split it into smaller files.`,
  );
}

function megabytes(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MB`;
}
