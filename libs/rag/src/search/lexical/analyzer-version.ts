/**
 * The version of what analyzeText emits. Postings persisted per document generation
 * (document_postings) carry it, and a pod whose analyzer differs rebuilds them from the chunk
 * text instead of reading them: bump it with every change to analyzeText's output (its word
 * pattern, stop words, stemming, extra terms), or searches would mix terms of two analyzers.
 */
export const ANALYZER_VERSION = 1;
