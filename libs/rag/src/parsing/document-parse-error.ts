export type DocumentParseErrorCode =
  | 'ENCRYPTED_PDF'
  | 'CORRUPT_FILE'
  | 'ARCHIVE_TOO_LARGE'
  | 'EMPTY_DOCUMENT'
  | 'TOO_MANY_PAGES'
  | 'TOO_MUCH_TEXT'
  /** The sandbox stopped the parse: it ran past the time limit. */
  | 'PARSE_TIMEOUT'
  /** The sandbox stopped the parse: it needed more memory than allowed. */
  | 'PARSE_OUT_OF_MEMORY';

/**
 * A document that cannot be ingested, for a reason the uploader can act on. The message is
 * shown to a dealership admin as the document's failure reason, so it names the problem and
 * the fix in plain words; `code` is for programs (metrics, tests, retry decisions: none of
 * these errors gets better by retrying).
 */
export class DocumentParseError extends Error {
  override readonly name = 'DocumentParseError';

  constructor(
    readonly code: DocumentParseErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The file is damaged or is not really the format its bytes first suggested. */
export function corruptFile(formatName: string, cause?: unknown): DocumentParseError {
  return new DocumentParseError(
    'CORRUPT_FILE',
    `This ${formatName} file is damaged or incomplete and cannot be read; export or save it again and re-upload it.`,
    { cause },
  );
}
