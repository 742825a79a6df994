// Search latency of the Postgres store at 1k, 10k and 100k chunks in one dealership:
// vector-only, full-text-only (the in-process BM25 index) and hybrid (what POST /search runs;
// with the local embedder that is BM25 alone), each over the same 100 queries, in one run, plus
// the cold first queries that build the dealership's BM25 index and load its vectors, and the
// first queries of a second app instance (a new pod: it reads the postings the first one
// stored). Seeds rows directly (ingestion is measured elsewhere) with the local embedder. The
// event loop's longest stall during each timed run says whether search work runs on it.
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { appConfig } from './app-config.mjs';
import { machine } from './lib.mjs';

const require = createRequire(import.meta.url);
const { createApiApp } = require('../dist/apps/api/apps/api/src/create-api-app.js');
const { SearchService } = require('../dist/apps/api/libs/rag/src/search/search.service.js');
const { LexicalHashEmbedder } = require('../dist/apps/api/libs/rag/src/embeddings/lexical-hash-embedder.js');
const { SearchWarmup } = require('../dist/apps/api/libs/rag/src/search/search-warmup.js');

const SIZES = (process.env.BENCH_SEARCH_SIZES ?? '1000,10000,100000').split(',').map(Number);
const QUERIES = 100;
// Natural text is Zipfian: a few words are everywhere, most are rare. In English the top ~100
// words are mostly function words (the, of, and…), half of all tokens, and questions are made
// of content words below them. So: 100 filler words take the head (they are indexed here,
// unlike real stopwords, but questions never use them), then the dealership words, then a
// synthetic tail to 4,000 words; query words are drawn from rank 100 down. That makes how many
// chunks a query word matches resemble real documents. BENCH_SEARCH_VOCAB=uniform gives the
// earlier worst case (a uniform 60-word vocabulary: every query word in nearly every chunk).
const HEAD = ('warranty powertrain engine transmission mileage lease loan apr financing credit trade-in sedan suv truck hybrid electric '
  + 'battery charging tyre brake service oil filter inspection recall rust corrosion paint dealer showroom price option package heated seats '
  + 'navigation camera sensor towing capacity fuel economy emission insurance registration delivery appointment').split(' ');
const UNIFORM = process.env.BENCH_SEARCH_VOCAB === 'uniform';
// BENCH_SEARCH_VOCAB=english: the head is real English function words, and every question is
// asked as people ask ("what is the … for a …"), so the written-word field of the BM25 index
// walks the postings of its stop words as it would in production.
const ENGLISH = process.env.BENCH_SEARCH_VOCAB === 'english';
const FUNCTION_WORDS = ('the of and to a in is it you that he was for on are with as i his they be at one have this from or had by hot but some what there we '
  + 'can out other were all your when up use word how said an each she which do their time if will way about many then them would write like so these her '
  + 'long make thing see him two has look more day could go come did my sound no most number who over know water than call first people may down side been now find').split(' ').slice(0, 100);
const FILLERS = UNIFORM ? 0 : 100;
const WORDS = UNIFORM
  ? HEAD
  : [...(ENGLISH ? FUNCTION_WORDS : Array.from({ length: FILLERS }, (_, i) => `filler${i.toString(36)}`)), ...HEAD, ...Array.from({ length: 4_000 - FILLERS - HEAD.length }, (_, i) => `term${i.toString(36)}`)];
// Cumulative Zipf weights (s = 1.07, as measured on English text).
const CUMULATIVE = (() => {
  const weights = WORDS.map((_, rank) => (UNIFORM ? 1 : 1 / (rank + 1) ** 1.07));
  const total = weights.reduce((a, b) => a + b, 0);
  let sum = 0;
  return weights.map((w) => (sum += w / total));
})();

function rng(seed) {
  let s = seed >>> 0;
  return () => ((s = Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32;
}
function word(next, fromRank = 0) {
  const floor = fromRank === 0 ? 0 : CUMULATIVE[fromRank - 1];
  const r = floor + next() * (1 - floor);
  let lo = 0;
  let hi = CUMULATIVE.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (CUMULATIVE[mid] < r) lo = mid + 1;
    else hi = mid;
  }
  return WORDS[lo];
}
const sentence = (next, n) => Array.from({ length: n }, () => word(next)).join(' ');
const contentWords = (next, n) => Array.from({ length: n }, () => word(next, FILLERS)).join(' ');
const question = (next, n) => {
  if (!ENGLISH) return contentWords(next, n);
  const [a, b, c, d, e] = contentWords(next, n).split(' ');
  return `what is the ${a} ${b} for a ${c} of my ${d} ${e}?`;
};

async function seed(dataSource, dealershipId, count, embedder) {
  const userId = randomUUID();
  await dataSource.query(`INSERT INTO dealerships (id, name) VALUES ($1, 'Bench Search')`, [dealershipId]);
  await dataSource.query(`INSERT INTO users (id, dealership_id, email, name, role, password_hash) VALUES ($1, $2, $3, 'b', 'owner', 'x')`, [userId, dealershipId, `${userId}@bench.example`]);
  const documentId = randomUUID();
  await dataSource.query(
    `INSERT INTO documents (id, dealership_id, title, file_name, doc_type, mime_type, size_bytes, content_sha256, blob_id, status, progress, chunk_count, created_by, searchable_generation)
     VALUES ($1, $2, 'Bench corpus', 'bench.txt', 'text', 'text/plain', 0, $3, $4, 'ready', 100, $5, $6, 0)`,
    [documentId, dealershipId, randomUUID(), randomUUID(), count, userId],
  );
  const next = rng(count);
  for (let from = 0; from < count; from += 500) {
    const texts = Array.from({ length: Math.min(500, count - from) }, () => sentence(next, 60));
    const vectors = await embedder.embed(texts);
    await dataSource.query(
      `INSERT INTO document_chunks (id, dealership_id, document_id, generation, chunk_index, text, token_count, embedding)
       SELECT gen_random_uuid(), $1, $2, 0, i, t, 80, e
         FROM unnest($3::int[], $4::text[], $5::bytea[]) AS x(i, t, e)`,
      [dealershipId, documentId, texts.map((_, i) => from + i), texts, vectors.map((v) => Buffer.from(Float32Array.from(v).buffer))],
    );
  }
}

async function timed(fn, queries) {
  const latencies = [];
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  for (const query of queries) {
    const started = performance.now();
    await fn(query);
    latencies.push(performance.now() - started);
  }
  loop.disable();
  latencies.sort((a, b) => a - b);
  const pct = (p) => Number(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))].toFixed(1));
  return { p50Ms: pct(0.5), p99Ms: pct(0.99), eventLoopMaxStallMs: Number((loop.max / 1e6).toFixed(1)) };
}

async function once(fn) {
  const started = performance.now();
  await fn();
  return { p50Ms: Number((performance.now() - started).toFixed(1)), p99Ms: null };
}

export async function search() {
  const config = appConfig((path) => require(`../dist/${path}`), 'api', { ...process.env, LOG_LEVEL: 'warn', REDIS_KEY_PREFIX: `bench-search-${Date.now()}` });
  const app = await createApiApp(config);
  await app.init();
  const dataSource = app.get(require('typeorm').DataSource);
  const service = app.get(SearchService);
  const embedder = new LexicalHashEmbedder(config.knowledge.embeddingDimensions);
  const queries = Array.from({ length: QUERIES }, (_, i) => question(rng(1000 + i), 5));
  const rows = {};
  const created = [];
  try {
    for (const size of SIZES) {
      const dealershipId = randomUUID();
      created.push(dealershipId);
      await seed(dataSource, dealershipId, size, embedder);
      const tenant = { dealershipId };
      rows[`cold first full-text query (builds the BM25 index), ${size} chunks`] = await once(() => service.search(tenant, queries[0], 5, 'fulltext'));
      rows[`cold first vector query (loads vectors), ${size} chunks`] = await once(() => service.search(tenant, queries[0], 5, 'vector'));
      // Second app instances in this process: new pods with empty caches and the same database
      // and Redis. The first is asked at once (it joins its start-up warm-up in flight); the
      // second only once its warm-up has loaded the recently searched dealerships.
      for (const waitForWarmUp of [false, true]) {
        const pod = await createApiApp(config);
        const started = performance.now();
        await pod.init();
        try {
          const podService = pod.get(SearchService);
          const when = waitForWarmUp ? 'after its warm-up' : 'at start';
          if (waitForWarmUp) {
            await pod.get(SearchWarmup).whenWarm();
            rows[`new pod's warm-up (recently searched dealerships), ${size} chunks`] = { p50Ms: Number((performance.now() - started).toFixed(1)), p99Ms: null };
          }
          rows[`new pod's first hybrid query ${when} (POST /search), ${size} chunks`] = await once(() => podService.search(tenant, queries[1], 5));
          if (!waitForWarmUp) rows[`new pod's first vector query, ${size} chunks`] = await once(() => podService.search(tenant, queries[1], 5, 'vector'));
        } finally {
          await pod.close();
        }
      }
      await timed((q) => service.search(tenant, q, 5), queries.slice(0, 10)); // warm-up
      rows[`vector only, ${size} chunks`] = await timed((q) => service.search(tenant, q, 5, 'vector'), queries);
      rows[`full-text only, ${size} chunks`] = await timed((q) => service.search(tenant, q, 5, 'fulltext'), queries);
      rows[`hybrid (POST /search), ${size} chunks`] = await timed((q) => service.search(tenant, q, 5), queries);
    }
    const baseline = rows[`full-text only, ${SIZES[0]} chunks`].p50Ms;
    return {
      machine: machine(),
      queries: QUERIES,
      rows: Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, { ...v, p50VsFullText1k: `${(v.p50Ms / baseline).toFixed(1)}x` }])),
    };
  } finally {
    // BENCH_SEARCH_KEEP=1 leaves the seeded dealerships for EXPLAIN ANALYZE by hand.
    if (process.env.BENCH_SEARCH_KEEP !== '1') for (const id of created) await dataSource.query(`DELETE FROM dealerships WHERE id = $1`, [id]);
    else console.error(`kept dealerships: ${created.join(', ')}`);
    await app.close();
  }
}
