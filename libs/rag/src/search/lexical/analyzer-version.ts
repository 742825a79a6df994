/**
 * The version of what indexTerms emits (analyzeText's content terms and the surface words).
 * Postings persisted per document generation (document_postings) carry it, and a pod whose
 * analyzer differs rebuilds them from the chunk text instead of reading them: bump it with
 * every change to indexTerms' output (its word pattern, stop words, stemming, extra terms), or
 * searches would mix terms of two analyzers.
 * 2: the surface-word field beside the content terms.
 * The synonym and neighbour maps (wordnet-synonyms.json, word-neighbours.json) are keyed by
 * analyzeText's stems too: regenerate them (scripts/wordnet-synonyms.mjs,
 * scripts/word-neighbours.mjs) with any change to analyzeText. Both are added to questions
 * only, so they need no new version.
 */
export const ANALYZER_VERSION = 2;
