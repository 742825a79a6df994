/**
 * Bounds on what one document may cost to parse. They are checked before the expensive step
 * (zip sizes from the central directory before inflating, the page count before reading pages),
 * so a hostile file fails fast instead of exhausting the worker's memory.
 */
export interface ParseLimits {
  /** Sum of the uncompressed sizes a DOCX/XLSX archive may declare. */
  maxUncompressedBytes?: number;
  /** Largest uncompressed/compressed ratio allowed for one sizeable archive entry. */
  maxCompressionRatio?: number;
  /** Most entries a DOCX/XLSX archive may hold. */
  maxArchiveEntries?: number;
  /** Most pages a PDF may have. */
  maxPdfPages?: number;
  /** Most characters of text one document may yield. */
  maxExtractedChars?: number;
}

export type ResolvedParseLimits = Required<ParseLimits>;

export const DEFAULT_PARSE_LIMITS: ResolvedParseLimits = {
  maxUncompressedBytes: 100 * 1024 * 1024,
  // Office XML compresses about 5-20x; zip bombs reach 1000x. Apache POI draws the line at 100x.
  maxCompressionRatio: 100,
  maxArchiveEntries: 10_000,
  maxPdfPages: 2_000,
  // About 1.2 million tokens: several thousand chunks, far beyond any brochure or price list.
  maxExtractedChars: 5_000_000,
};

export function resolveParseLimits(limits: ParseLimits = {}): ResolvedParseLimits {
  return { ...DEFAULT_PARSE_LIMITS, ...withoutUndefined(limits) };
}

function withoutUndefined(limits: ParseLimits): ParseLimits {
  return Object.fromEntries(Object.entries(limits).filter(([, value]) => value !== undefined));
}
