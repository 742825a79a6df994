// Retrieval and answer quality of the knowledge base with the local defaults, over labelled
// question sets (bench/data/*-questions.json), each corpus in its own dealership (so IDF is each
// corpus' own):
// - licences: five FSF licence texts shipped by Debian (read from the machine at run time);
// - dealership: customers' questions over demo/knowledge, plus off-topic questions to decline;
// - encyclopedia: reading-comprehension questions over six short articles written for this
//   repository (bench/data/encyclopedia), plus off-topic questions;
// - reference: a larger reading-comprehension set (about 210 questions over ten articles, written
//   for this repository after the ranking was changed, so nothing was tuned on it), plus
//   off-topic questions.
// BENCH_QUALITY_SETS=licences,dealership picks sets; BENCH_QUALITY_EXTRA=<questions.json> adds a
// set in the same format (its `directory` holds the documents), e.g. a held-out one.
//
// The corpora go through the real pipeline: uploaded to the api process, parsed, chunked and
// embedded by an in-process worker. Then, for each retriever:
// - ranking: recall@k and MRR@10 of the chunk that answers (a chunk answers when its text
//   contains one of the question's phrases, case-insensitive, whitespace collapsed), and latency;
// - answers: chat's GroundedAnswerer (relevance gate + the local extractive responder, from the
//   api's build) answers every question from that retriever's passages. Accuracy: the answer
//   contains one of the expected texts (when the set gives them) and cites the expected document
//   or an answering chunk; decline rate: off-topic questions answered with no citation and no
//   model call; false declines: answerable questions declined.
// Retrievers: a plain BM25 computed here over the same chunks (k1 1.2, b 0.75, lower-cased words,
// no stemming or stop words: the baseline, same run), and SearchService in each mode: full-text
// (the BM25 index), vector (the local lexical-hash embedder) and hybrid (what POST /search and
// chat run). "fusion variants" re-fuse the full-text and vector candidate lists with weighted RRF
// (k = 60) at several vector weights: the measurement behind hybrid's fusion choice.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { basename, dirname, resolve } from 'node:path';
import { cpus, totalmem } from 'node:os';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { appConfig } from './app-config.mjs';
import { machine, startProcess } from './lib.mjs';
import { createBenchWorld, percentiles, registerDealership, upload, watchDocument } from './knowledge-lib.mjs';

const require = createRequire(import.meta.url);
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const K = [1, 5, 10];
const DEPTH = 10;
const FUSION_CANDIDATES = 50;
const VECTOR_WEIGHTS = [0, 0.25, 0.5, 1];

const LICENCE_TITLES = {
  'GPL-3': 'GNU General Public License, version 3',
  'GPL-2': 'GNU General Public License, version 2',
  'LGPL-2.1': 'GNU Lesser General Public License, version 2.1',
  'LGPL-3': 'GNU Lesser General Public License, version 3',
  'GFDL-1.3': 'GNU Free Documentation License, version 1.3',
};

const SETS = {
  licences: {
    file: `${ROOT}/bench/data/licence-questions.json`,
    directory: process.env.BENCH_CORPUS_DIR ?? '/usr/share/common-licenses',
    upload: (name) => ({ fileName: `${name}.txt`, title: LICENCE_TITLES[name] ?? name }),
  },
  dealership: { file: `${ROOT}/bench/data/dealership-questions.json` },
  encyclopedia: { file: `${ROOT}/bench/data/encyclopedia-questions.json` },
  reference: { file: `${ROOT}/bench/data/reference-questions.json` },
};

const normalise = (text) => text.toLowerCase().replace(/\s+/g, ' ');
const round = (n) => Number(n.toFixed(3));

function loadSets() {
  const chosen = (process.env.BENCH_QUALITY_SETS ?? Object.keys(SETS).join(',')).split(',').filter(Boolean);
  const sets = chosen.map((name) => {
    if (!SETS[name]) throw new Error(`unknown set ${name}; known: ${Object.keys(SETS).join(', ')}`);
    return { name, ...SETS[name] };
  });
  if (process.env.BENCH_QUALITY_EXTRA) sets.push({ name: basename(process.env.BENCH_QUALITY_EXTRA, '.json'), file: resolve(process.env.BENCH_QUALITY_EXTRA) });
  return sets.map((set) => {
    const data = JSON.parse(readFileSync(set.file, 'utf8'));
    // A set's `directory` is absolute or relative to the repository root.
    const directory = set.directory ?? resolve(ROOT, data.directory);
    return { ...set, data, directory, upload: set.upload ?? ((name) => ({ fileName: name, title: name })) };
  });
}

async function freePort() {
  const server = createServer();
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address();
  await new Promise((done) => server.close(done));
  return String(port);
}

/** Uploads each set's documents into its own dealership and waits until all are ready. */
async function ingest(world, sets) {
  const api = await startProcess(`${world.dist}apps/api/apps/api/src/main.js`, world.env('quality', { PORT: await freePort() }), '/health/ready');
  const base = `http://127.0.0.1:${api.port}`;
  const { createWorkerApp } = world.require('apps/worker/apps/worker/src/create-worker-app.js');
  const worker = await createWorkerApp(appConfig(world.require, 'worker', { ...process.env, ...world.env('quality', { WORKER_PORT: '0' }) }));
  await worker.init();
  try {
    const dataSource = worker.get(require('typeorm').DataSource);
    const started = performance.now();
    const pending = [];
    for (const set of sets) {
      const { token, dealershipId } = await registerDealership(base, `Bench ${set.name}`);
      set.dealershipId = dealershipId;
      set.fileOfDocument = new Map();
      for (const name of set.data.documents) {
        const { fileName, title } = set.upload(name);
        const res = await upload(base, token, readFileSync(`${set.directory}/${name}`), fileName, title);
        if (res.status !== 202) throw new Error(`upload of ${name} answered ${res.status}: ${JSON.stringify(res.body)}`);
        set.fileOfDocument.set(res.body.id, name);
        pending.push(res.body.id);
      }
    }
    for (const id of pending) await watchDocument(dataSource, id, started, { intervalMs: 50 });
    return Math.round(performance.now() - started);
  } finally {
    await worker.close();
    await api.stop();
  }
}

/** Probability that k chunks drawn at random from n include at least one of r answering ones. */
function chance(n, r, k) {
  let miss = 1;
  for (let i = 0; i < k; i += 1) miss *= (n - r - i) / (n - i);
  return 1 - Math.max(0, miss);
}

/**
 * The baseline: Okapi BM25 as textbooks state it (k1 1.2, b 0.75, Lucene's IDF), over
 * lower-cased letter/digit words with no stemming and no stop words, every chunk scored.
 * Returns hits shaped like SearchService's, so chat's gate and responder can use them.
 */
function plainBm25(chunks) {
  const tokens = (text) => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const docs = chunks.map((chunk) => {
    const counts = new Map();
    const words = tokens(chunk.text);
    for (const w of words) counts.set(w, (counts.get(w) ?? 0) + 1);
    return { chunk, counts, length: words.length };
  });
  const df = new Map();
  for (const doc of docs) for (const w of doc.counts.keys()) df.set(w, (df.get(w) ?? 0) + 1);
  const n = docs.length;
  const avg = docs.reduce((s, d) => s + d.length, 0) / n;
  const idf = (w) => Math.log(1 + (n - (df.get(w) ?? 0) + 0.5) / ((df.get(w) ?? 0) + 0.5));
  return (query, topK) => {
    const terms = [...new Set(tokens(query))];
    const total = terms.reduce((s, w) => s + idf(w), 0) || 1;
    return docs
      .map((doc) => {
        let score = 0;
        let matched = 0;
        for (const w of terms) {
          const tf = doc.counts.get(w);
          if (!tf) continue;
          score += (idf(w) * tf * 2.2) / (tf + 1.2 * (0.25 + (0.75 * doc.length) / avg));
          matched += idf(w);
        }
        return { doc, score, coverage: matched / total };
      })
      .filter((hit) => hit.score > 0)
      .sort((a, b) => b.score - a.score || a.doc.chunk.id.localeCompare(b.doc.chunk.id))
      .slice(0, topK)
      .map(({ doc, score, coverage }) => ({
        documentId: doc.chunk.document_id,
        documentTitle: doc.chunk.title,
        chunkId: doc.chunk.id,
        text: doc.chunk.text,
        page: doc.chunk.page,
        score,
        relevance: 0,
        termCoverage: coverage,
        matchedAllWords: coverage > 0.999999,
      }));
  };
}

function weightedRrf(lists, k = 60) {
  const scores = new Map();
  for (const { ids, weight } of lists) ids.forEach((id, rank) => scores.set(id, (scores.get(id) ?? 0) + weight / (k + rank + 1)));
  return [...scores].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([id]) => id);
}

/** The best hit's relevance signals (what chat's gate reads), for calibrating the gate. */
const signals = (hit) => (hit ? { termCoverage: round(hit.termCoverage ?? 0), relevance: round(hit.relevance ?? 0) } : null);

function rankSummary(ranks) {
  return {
    ...Object.fromEntries(K.map((k) => [`recall@${k}`, round(ranks.filter((r) => r !== null && r <= k).length / (ranks.length || 1))])),
    [`MRR@${DEPTH}`]: round(ranks.reduce((sum, r) => sum + (r ? 1 / r : 0), 0) / (ranks.length || 1)),
  };
}

async function evaluateSet(set, app, world) {
  const dataSource = app.get(require('typeorm').DataSource);
  const { SearchService } = world.require('apps/api/libs/rag/src/search/search.service.js');
  // Internals of chat (the LLM port, the answerer), not its public face: loaded by path from the build.
  const { LLM } = world.require('apps/api/libs/chat/src/llm/llm.port.js');
  const { GroundedAnswerer } = world.require('apps/api/libs/chat/src/answering/grounded-answerer.js');
  const { APP_CONFIG } = world.require('apps/api/libs/core/src/index.js');
  const service = app.get(SearchService);
  const llm = app.get(LLM);
  const config = app.get(APP_CONFIG);
  const tenant = { dealershipId: set.dealershipId };
  const chunks = await dataSource.query(
    `SELECT c.id, c.document_id, c.text, c.page, d.title FROM document_chunks c
       JOIN documents d ON d.id = c.document_id AND d.searchable_generation = c.generation
      WHERE c.dealership_id = $1`,
    [set.dealershipId],
  );
  const textOf = new Map(chunks.map((c) => [c.id, normalise(c.text)]));
  const questions = set.data.questions.map((q) => {
    if (q.offTopic) return q;
    const phrases = q.phrases.map(normalise);
    const answering = chunks.filter((c) => phrases.some((p) => textOf.get(c.id).includes(p))).map((c) => c.id);
    if (answering.length === 0) throw new Error(`${set.name}: no chunk contains a phrase of question ${q.id}: fix the label`);
    return { ...q, answering: new Set(answering) };
  });
  const answerable = questions.filter((q) => !q.offTopic);
  const offTopic = questions.filter((q) => q.offTopic);

  const baseline = plainBm25(chunks);
  const searchers = {
    'BM25 baseline (plain)': async (q, k) => ({ items: baseline(q, k) }),
    'full-text (BM25 index)': (q, k) => service.search(tenant, q, k, 'fulltext'),
    'vector (local embedder)': (q, k) => service.search(tenant, q, k, 'vector'),
    'hybrid (POST /search, chat)': (q, k) => service.search(tenant, q, k),
  };

  const perQuestion = Object.fromEntries(questions.map((q) => [q.id, {}]));
  const rows = {};
  const answers = {};
  const byStyle = {};
  for (const [name, search] of Object.entries(searchers)) {
    for (const q of answerable.slice(0, 5)) await search(q.question, DEPTH); // warm-up (index, query vectors, plans)
    const latencies = [];
    const ranks = [];
    for (const q of answerable) {
      const started = performance.now();
      const { items } = await search(q.question, DEPTH);
      latencies.push(performance.now() - started);
      const at = items.findIndex((hit) => q.answering.has(hit.chunkId));
      ranks.push(at === -1 ? null : at + 1);
      perQuestion[q.id][name] = { rank: at === -1 ? null : at + 1, best: signals(items[0]) };
    }
    for (const q of offTopic) perQuestion[q.id][name] = { best: signals((await search(q.question, DEPTH)).items[0]) };
    rows[name] = { ...rankSummary(ranks), ...percentiles(latencies) };
    for (const style of new Set(answerable.map((q) => q.style).filter(Boolean))) {
      const subset = ranks.filter((_, i) => answerable[i].style === style);
      byStyle[`${style} (${subset.length})`] ??= {};
      const { 'recall@1': r1, 'recall@5': r5, [`MRR@${DEPTH}`]: mrr } = rankSummary(subset);
      byStyle[`${style} (${subset.length})`][name] = { 'recall@1': r1, 'recall@5': r5, [`MRR@${DEPTH}`]: mrr };
    }

    const answerer = new GroundedAnswerer({ search: (_tenant, q, k) => search(q, k) }, llm, config);
    const ask = async (question) => {
      let end;
      for await (const event of answerer.answer({ tenant, question, history: [], systemPrompt: null, signal: new AbortController().signal })) {
        if (event.type === 'end') end = event;
      }
      return end;
    };
    let right = 0;
    let falseDeclines = 0;
    for (const q of answerable) {
      const end = await ask(q.question);
      const declined = end.model === null;
      const textOk = !q.answers || q.answers.some((a) => normalise(end.content).includes(normalise(a)));
      const citedOk = end.citations.some((c) => q.answering.has(c.chunkId) || (q.document && set.fileOfDocument.get(c.documentId) === q.document));
      if (declined) falseDeclines += 1;
      if (!declined && textOk && citedOk) right += 1;
      Object.assign(perQuestion[q.id][name], { right: !declined && textOk && citedOk, declined, answer: end.content.slice(0, 300) });
    }
    let declinedOffTopic = 0;
    for (const q of offTopic) {
      const end = await ask(q.question);
      const declined = end.model === null && end.citations.length === 0;
      if (declined) declinedOffTopic += 1;
      Object.assign(perQuestion[q.id][name], { declined, answer: end.content.slice(0, 300) });
    }
    answers[name] = {
      [`answered right (of ${answerable.length})`]: round(right / (answerable.length || 1)),
      [`declined off-topic (of ${offTopic.length})`]: offTopic.length ? round(declinedOffTopic / offTopic.length) : '',
      'answerable declined': round(falseDeclines / (answerable.length || 1)),
    };
  }

  // The same candidate lists re-fused at several vector weights (0 = full-text alone).
  const lists = [];
  for (const q of answerable) {
    const [text, vector] = await Promise.all([
      service.search(tenant, q.question, FUSION_CANDIDATES, 'fulltext'),
      service.search(tenant, q.question, FUSION_CANDIDATES, 'vector'),
    ]);
    lists.push({ q, text: text.items.map((h) => h.chunkId), vector: vector.items.map((h) => h.chunkId) });
  }
  const fusionVariants = Object.fromEntries(
    VECTOR_WEIGHTS.map((weight) => {
      const ranks = lists.map(({ q, text, vector }) => {
        const fused = weightedRrf([{ ids: text, weight: 1 }, { ids: vector, weight }].filter((l) => l.weight > 0)).slice(0, DEPTH);
        const at = fused.findIndex((id) => q.answering.has(id));
        return at === -1 ? null : at + 1;
      });
      return [`full-text 1 : vector ${weight}`, rankSummary(ranks)];
    }),
  );
  const chanceRow = Object.fromEntries(K.map((k) => [`recall@${k}`, round(answerable.reduce((s, q) => s + chance(chunks.length, q.answering.size, k), 0) / (answerable.length || 1))]));
  return {
    corpus: { source: set.data.source, documents: set.data.documents.length, chunks: chunks.length, questions: answerable.length, offTopic: offTopic.length },
    ranking: { 'chance (k random chunks)': chanceRow, ...rows },
    answers,
    byStyle,
    fusionVariants,
    perQuestion,
    // BENCH_QUALITY_DUMP_CHUNKS=1 keeps the chunks in the results file, to study the gate offline.
    ...(process.env.BENCH_QUALITY_DUMP_CHUNKS === '1' ? { chunks: chunks.map(({ id, document_id, text }) => ({ id, document: set.fileOfDocument.get(document_id), text })) } : {}),
  };
}

export async function retrievalQuality() {
  const sets = loadSets();
  const world = await createBenchWorld('quality');
  try {
    const ingestMs = await ingest(world, sets);
    const { createApiApp } = world.require('apps/api/apps/api/src/create-api-app.js');
    const app = await createApiApp(appConfig(world.require, 'api', { ...process.env, ...world.env('quality-search', { PORT: '0' }) }));
    await app.init();
    try {
      const results = {};
      for (const set of sets) results[set.name] = await evaluateSet(set, app, world);
      const perQuestion = Object.fromEntries(Object.entries(results).map(([name, r]) => [name, r.perQuestion]));
      for (const r of Object.values(results)) delete r.perQuestion;
      return { machine: `${machine()}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB`, ingestMs, sets: results, perQuestion };
    } finally {
      await app.close();
    }
  } finally {
    await world.dispose();
  }
}
