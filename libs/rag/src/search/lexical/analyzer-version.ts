/**
 * The version of what indexTerms emits (analyzeText's content terms and the surface words).
 * Postings persisted per document generation (document_postings) carry it, and a pod whose
 * analyzer differs rebuilds them from the chunk text instead of reading them: bump it with
 * every change to indexTerms' output (its word pattern, stop words, stemming, extra terms), or
 * searches would mix terms of two analyzers.
 * 2: the surface-word field beside the content terms.
 * The synonym map (wordnet-synonyms.json) is keyed by analyzeText's stems too: regenerate it
 * (scripts/wordnet-synonyms.mjs) with any change to analyzeText. Synonyms are added to questions
 * only, so they need no new version.
 */
export const ANALYZER_VERSION = 2;
