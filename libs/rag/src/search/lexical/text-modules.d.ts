// The two text-analysis packages ship no type declarations; these are the parts we use.
declare module 'wink-porter2-stemmer' {
  /** Porter2 (Snowball English) stem of one lower-case word. */
  function stem(word: string): string;
  export = stem;
}

declare module 'stopword' {
  /** English stop words (lower case). */
  export const eng: string[];
}
