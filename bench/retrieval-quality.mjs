// Retrieval quality of the knowledge base: recall@k and MRR of vector-only, full-text-only and
// hybrid (reciprocal rank fusion) search over a public corpus, on the question set in
// bench/data/licence-questions.json. The corpus goes through the real pipeline: uploaded to the
// api process, parsed, chunked and embedded by an in-process worker; then SearchService (from
// the api's build) answers every question in each mode.
//
// Relevance: a retrieved chunk answers a question when its text contains one of the question's
// phrases (case-insensitive, whitespace collapsed), so labels survive changes to chunking.
// Baselines in the same run: full-text-only (the ratio column) and chance (k chunks drawn at
// random from the corpus, computed exactly from the number of answering chunks per question).
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, totalmem } from 'node:os';
import { createRequire } from 'node:module';
import { machine, startProcess } from './lib.mjs';
import { createBenchWorld, percentiles, registerDealership, upload, watchDocument } from './knowledge-lib.mjs';

const require = createRequire(import.meta.url);
const DATA = new URL('./data/licence-questions.json', import.meta.url);
const CORPUS_DIR = process.env.BENCH_CORPUS_DIR ?? '/usr/share/common-licenses';
const K = [1, 5, 10];
const MRR_DEPTH = 10;

const TITLES = {
  'GPL-3': 'GNU General Public License, version 3',
  'GPL-2': 'GNU General Public License, version 2',
  'LGPL-2.1': 'GNU Lesser General Public License, version 2.1',
  'LGPL-3': 'GNU Lesser General Public License, version 3',
  'GFDL-1.3': 'GNU Free Documentation License, version 1.3',
};

const normalise = (text) => text.toLowerCase().replace(/\s+/g, ' ');

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return String(port);
}

/** Uploads every corpus file through the api and waits for the in-process worker to make it ready. */
async function ingestCorpus(world, documents) {
  const api = await startProcess(`${world.dist}apps/api/apps/api/src/main.js`, world.env('quality', { PORT: await freePort() }), '/health/ready');
  const base = `http://127.0.0.1:${api.port}`;
  const { loadConfig } = world.require('apps/worker/libs/core/src/index.js');
  const { createWorkerApp } = world.require('apps/worker/apps/worker/src/create-worker-app.js');
  const worker = await createWorkerApp(loadConfig({ ...process.env, ...world.env('quality', { WORKER_PORT: '0' }) }));
  await worker.init();
  try {
    const { token, dealershipId } = await registerDealership(base, 'Bench Retrieval');
    const dataSource = worker.get(require('typeorm').DataSource);
    const started = performance.now();
    const ids = [];
    for (const name of documents) {
      const res = await upload(base, token, readFileSync(`${CORPUS_DIR}/${name}`), `${name}.txt`, TITLES[name] ?? name);
      if (res.status !== 202) throw new Error(`upload of ${name} answered ${res.status}: ${JSON.stringify(res.body)}`);
      ids.push(res.body.id);
    }
    for (const id of ids) await watchDocument(dataSource, id, started, { intervalMs: 50 });
    return { dealershipId, ingestMs: Math.round(performance.now() - started) };
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

export async function retrievalQuality() {
  const data = JSON.parse(readFileSync(DATA, 'utf8'));
  const world = await createBenchWorld('quality');
  try {
    const { dealershipId, ingestMs } = await ingestCorpus(world, data.documents);
    const { loadConfig } = world.require('apps/api/libs/core/src/index.js');
    const { createApiApp } = world.require('apps/api/apps/api/src/create-api-app.js');
    const { SearchService } = world.require('apps/api/libs/rag/src/search/search.service.js');
    const app = await createApiApp(loadConfig({ ...process.env, ...world.env('quality-search', { PORT: '0' }) }));
    await app.init();
    try {
      const dataSource = app.get(require('typeorm').DataSource);
      const service = app.get(SearchService);
      const chunks = await dataSource.query(
        `SELECT c.id, c.text, d.file_name FROM document_chunks c JOIN documents d ON d.id = c.document_id AND d.searchable_generation = c.generation
          WHERE c.dealership_id = $1`,
        [dealershipId],
      );
      const textOf = new Map(chunks.map((c) => [c.id, normalise(c.text)]));
      const tenant = { dealershipId };

      // search(tenant, query, topK, mode) where it exists; else the private candidate methods
      // (vector / full text) and search() (hybrid), which is what search() fuses.
      const hasMode = /\bmode\b/.test(service.search.toString());
      const ids = (list) => list.map((hit) => (typeof hit === 'string' ? hit : hit.id ?? hit.chunkId));
      const retrievers = hasMode
        ? {
            'full-text only': async (q) => ids((await service.search(tenant, q, MRR_DEPTH, 'fulltext')).items),
            'vector only': async (q) => ids((await service.search(tenant, q, MRR_DEPTH, 'vector')).items),
            'hybrid (RRF, k = 60; POST /search)': async (q) => ids((await service.search(tenant, q, MRR_DEPTH)).items),
          }
        : {
            'full-text only': async (q) => ids(await service.fullTextCandidates(tenant, q)),
            'vector only': async (q) => ids(await service.vectorCandidates(tenant, q)),
            'hybrid (RRF, k = 60; POST /search)': async (q) => ids((await service.search(tenant, q, MRR_DEPTH)).items),
          };

      const labelled = data.questions.map((q) => {
        const phrases = q.phrases.map(normalise);
        const answering = chunks.filter((c) => phrases.some((p) => textOf.get(c.id).includes(p))).map((c) => c.id);
        if (answering.length === 0) throw new Error(`no chunk contains a phrase of question ${q.id}: fix the label`);
        return { ...q, answering: new Set(answering) };
      });

      const perQuestion = Object.fromEntries(labelled.map((q) => [q.id, { style: q.style, answeringChunks: q.answering.size }]));
      const styles = [...new Set(labelled.map((q) => q.style))];
      const summary = (ranks) => ({
        ...Object.fromEntries(K.map((k) => [`recall@${k}`, Number((ranks.filter((r) => r !== null && r <= k).length / ranks.length).toFixed(3))])),
        [`MRR@${MRR_DEPTH}`]: Number((ranks.reduce((sum, r) => sum + (r ? 1 / r : 0), 0) / ranks.length).toFixed(3)),
      });
      const byStyle = Object.fromEntries(styles.map((style) => [`${style} (${labelled.filter((q) => q.style === style).length} questions)`, {}]));
      const rows = {};
      for (const [mode, retrieve] of Object.entries(retrievers)) {
        for (const q of labelled.slice(0, 5)) await retrieve(q.question); // warm-up (query-vector cache, plans)
        const latencies = [];
        const ranks = [];
        for (const q of labelled) {
          const started = performance.now();
          const ranked = (await retrieve(q.question)).slice(0, MRR_DEPTH);
          latencies.push(performance.now() - started);
          const at = ranked.findIndex((id) => q.answering.has(id));
          const rank = at === -1 ? null : at + 1;
          ranks.push(rank);
          perQuestion[q.id][mode] = rank;
        }
        rows[mode] = { ...summary(ranks), ...percentiles(latencies) };
        for (const style of styles) {
          const subset = ranks.filter((_, i) => labelled[i].style === style);
          const { 'recall@5': recall5, [`MRR@${MRR_DEPTH}`]: mrr } = summary(subset);
          byStyle[`${style} (${subset.length} questions)`][mode] = { 'recall@5': recall5, [`MRR@${MRR_DEPTH}`]: mrr };
        }
      }
      const chanceRow = Object.fromEntries(
        K.map((k) => [`recall@${k}`, Number((labelled.reduce((s, q) => s + chance(chunks.length, q.answering.size, k), 0) / labelled.length).toFixed(3))]),
      );
      const baseline = rows['full-text only']['recall@5'];
      const table = {
        'chance (k random chunks)': { ...chanceRow, [`MRR@${MRR_DEPTH}`]: '', p50Ms: '', p99Ms: '', recall5VsFullText: `${(chanceRow['recall@5'] / baseline).toFixed(2)}x` },
        ...Object.fromEntries(Object.entries(rows).map(([mode, row]) => [mode, { ...row, recall5VsFullText: `${(row['recall@5'] / baseline).toFixed(2)}x` }])),
      };
      // Paired, question by question: where hybrid finds an answer in the top 5 and the single
      // retriever does not, and the reverse (the numbers behind "is fusion worth it").
      const HYBRID = 'hybrid (RRF, k = 60; POST /search)';
      const inTop5 = (q, mode) => perQuestion[q][mode] !== null && perQuestion[q][mode] <= 5;
      const paired = Object.fromEntries(
        ['full-text only', 'vector only'].map((other) => {
          const ids = Object.keys(perQuestion);
          return [
            `hybrid vs ${other} (top 5)`,
            {
              hybridOnly: ids.filter((q) => inTop5(q, HYBRID) && !inTop5(q, other)),
              otherOnly: ids.filter((q) => !inTop5(q, HYBRID) && inTop5(q, other)),
            },
          ];
        }),
      );
      return {
        machine: `${machine()}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB`,
        corpus: { source: data.source, documents: data.documents, chunks: chunks.length, ingestMs },
        questions: labelled.length,
        searchApi: hasMode ? 'search(tenant, query, topK, mode)' : 'vectorCandidates / fullTextCandidates / search',
        rows: table,
        byStyle,
        paired,
        perQuestion,
      };
    } finally {
      await app.close();
    }
  } finally {
    await world.dispose();
  }
}
