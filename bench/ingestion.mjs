// Ingestion costs of the knowledge base, each beside a baseline measured in the same run:
//  (a) upload-accepted latency of POST /api/v1/documents (202) for distinct small files, a few
//      clients at a time, against GET /health/live and an authenticated GET /api/v1/documents
//      on the same api process (no worker running, so only the accept path is measured);
//  (b) upload to searchable (status ready) of a 100-page PDF through the real api process and an
//      in-process worker (parse thread, chunking, outbox, embeddings queue, generation swap),
//      against the bare compute of the same file in this process (parse + chunk + embed, no
//      queues, no database) and a 1-page PDF through the same pipeline (fixed overhead);
//  (c) chunks per second through the local LexicalHashEmbedder, against sha256 and the
//      cl100k tokenizer over the same chunk texts.
// Runs in its own database and Redis prefixes from a private copy of dist/ (knowledge-lib.mjs).
import { PDFDocument, StandardFonts } from '@cantoo/pdf-lib';
import { createHash } from 'node:crypto';
import { createServer } from 'node:net';
import { cpus, totalmem } from 'node:os';
import { createRequire } from 'node:module';
import { appConfig } from './app-config.mjs';
import { startProcess, machine } from './lib.mjs';
import { concurrently, createBenchWorld, percentiles, registerDealership, upload, watchDocument } from './knowledge-lib.mjs';

const require = createRequire(import.meta.url);
const UPLOADS = Number(process.env.BENCH_UPLOADS ?? 200);
const CLIENTS = Number(process.env.BENCH_UPLOAD_CLIENTS ?? 4);
const PAGES = Number(process.env.BENCH_PDF_PAGES ?? 100);
const PDF_RUNS = Number(process.env.BENCH_PDF_RUNS ?? 2);
const EMBED_SECONDS = Number(process.env.BENCH_EMBED_SECONDS ?? 3);

// ---- realistic dealership text ------------------------------------------------------------

function rng(seed) {
  let s = seed >>> 0;
  return () => ((s = Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32;
}
const pick = (next, list) => list[Math.floor(next() * list.length)];

const MODELS = ['Aurora SE sedan', 'Aurora Touring wagon', 'Vantage XT SUV', 'Vantage Hybrid SUV', 'Ridgeback 2500 pickup', 'Volt-E compact', 'Meridian minivan', 'Summit GT coupe'];
const TOPICS = ['New vehicle limited warranty', 'Powertrain coverage', 'Scheduled maintenance', 'Lease terms', 'Retail financing', 'Trade-in appraisal', 'Extended service plans', 'Tyre and wheel protection', 'Battery and charging', 'Towing and payload', 'Recall procedures', 'Accessory packages', 'Delivery checklist', 'Roadside assistance'];
const SENTENCES = [
  (n) => `The ${pick(n, MODELS)} is covered for ${pick(n, ['3 years or 36,000 miles', '5 years or 60,000 miles', '8 years or 100,000 miles', '4 years with unlimited mileage'])}, whichever comes first, from the original in-service date.`,
  (n) => `Customers who finance through the dealership at ${pick(n, ['2.9', '3.49', '4.75', '5.99', '6.25'])}% APR for ${pick(n, ['36', '48', '60', '72'])} months must provide proof of income and a valid driver's licence before delivery.`,
  (n) => `An oil and filter change is due every ${pick(n, ['5,000', '7,500', '10,000'])} miles or ${pick(n, ['6', '12'])} months; skipping two consecutive services may void coverage of the engine's internal lubricated parts.`,
  (n) => `The ${pick(n, ['winter', 'technology', 'towing', 'premium audio', 'off-road', 'convenience'])} package adds ${pick(n, ['heated front seats and a heated steering wheel', 'a 360-degree camera and adaptive cruise control', 'a class IV hitch receiver and trailer brake controller', 'a twelve-speaker sound system', 'skid plates and all-terrain tyres', 'a hands-free power liftgate'])} for ${pick(n, ['$850', '$1,200', '$1,650', '$2,400', '$3,100'])}.`,
  (n) => `Lease customers are charged ${pick(n, ['$0.15', '$0.20', '$0.25'])} per mile above the ${pick(n, ['10,000', '12,000', '15,000'])} miles a year in the contract, and excess wear beyond the dealer's guide is billed at turn-in.`,
  (n) => `Trade-in values are appraised on the day of the visit from the vehicle's condition, mileage, service history and current auction data, and an offer is valid for ${pick(n, ['3', '7', '10'])} days.`,
  (n) => `The high-voltage battery of the ${pick(n, ['Volt-E compact', 'Vantage Hybrid SUV'])} keeps at least ${pick(n, ['70', '75', '80'])}% of its original capacity for 8 years; a Level 2 charger restores it from 10 to 80 percent in about ${pick(n, ['4', '5', '6'])} hours.`,
  (n) => `The ${pick(n, ['Ridgeback 2500 pickup', 'Vantage XT SUV', 'Meridian minivan'])} can tow up to ${pick(n, ['3,500', '5,000', '7,700', '12,300'])} pounds when equipped with the factory hitch and the transmission cooler.`,
  (n) => `Roadside assistance includes towing to the nearest authorised dealer, jump starts, lockout service and fuel delivery, available ${pick(n, ['24 hours a day', 'every day of the year'])} by calling the number in the owner's manual.`,
  () => `Before delivery the sales consultant walks the customer through the infotainment pairing, the tyre pressure monitor, the spare or inflator kit, and the first service appointment.`,
  (n) => `Corrosion perforation of body sheet metal is covered for ${pick(n, ['6', '7', '12'])} years with unlimited mileage; surface rust caused by stone chips or road salt is not covered.`,
  () => `Open safety recalls are repaired free of charge at any authorised dealer, and service advisors check the recall database by VIN at every visit.`,
  (n) => `Extended service plans can be bought until the factory warranty expires and transfer once to a private buyer for a ${pick(n, ['$50', '$75', '$100'])} fee.`,
  (n) => `Wheel and tyre protection pays for repair or replacement after road hazard damage such as potholes, nails and curb impact, up to ${pick(n, ['$1,500', '$2,500', '$5,000'])} per occurrence.`,
];

/** One page: a heading and ~300-500 words of dealership policy text in 3-5 paragraphs. */
function pageSpec(next, pageNumber) {
  const words = 300 + Math.floor(next() * 200);
  const paragraphs = [];
  let count = 0;
  while (count < words) {
    const sentences = Array.from({ length: 3 + Math.floor(next() * 3) }, () => pick(next, SENTENCES)(next));
    const paragraph = sentences.join(' ');
    count += paragraph.split(' ').length;
    paragraphs.push(paragraph);
  }
  return { heading: `${pageNumber}. ${pick(next, TOPICS)}`, paragraphs };
}

function wrap(text, width) {
  const lines = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** A PDF like the dealership manuals users upload (A4, Helvetica 9 pt, heading per page). */
async function makePdf(pageCount, seed) {
  const next = rng(seed);
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  let words = 0;
  for (let p = 1; p <= pageCount; p += 1) {
    const spec = pageSpec(next, p);
    const page = pdf.addPage([595, 842]);
    let y = 790;
    page.drawText(spec.heading, { x: 50, y, size: 16, font });
    y -= 30;
    for (const paragraph of spec.paragraphs) {
      words += paragraph.split(' ').length;
      const lines = wrap(paragraph, 100);
      page.drawText(lines.join('\n'), { x: 50, y, size: 9, font, lineHeight: 11 });
      y -= lines.length * 11 + 10;
    }
  }
  return { bytes: Buffer.from(await pdf.save()), words };
}

// ---- helpers ------------------------------------------------------------------------------

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return String(port);
}

const round = (value, digits = 1) => Number(value.toFixed(digits));

async function timedCalls(count, clients, call) {
  const { latencies, wallMs } = await concurrently(count, clients, call);
  return { requests: count, requestsPerSecond: round((count * 1000) / wallMs, 0), ...percentiles(latencies) };
}

// ---- (a) upload accepted -------------------------------------------------------------------

async function uploadLatency(world) {
  const api = await startProcess(`${world.dist}apps/api/apps/api/src/main.js`, world.env('upload', { PORT: await freePort(), LOG_LEVEL: 'info' }), '/health/ready');
  const base = `http://127.0.0.1:${api.port}`;
  try {
    const { token } = await registerDealership(base, 'Bench Uploads');
    const auth = { authorization: `Bearer ${token}` };
    const file = (i, tag) =>
      Buffer.from(`# Service bulletin ${tag}-${i}\n\n${Array.from({ length: 12 }, (_, k) => SENTENCES[(i + k) % SENTENCES.length](rng(i * 31 + k))).join(' ')}\n`);
    const get = (path) => async () => {
      const res = await fetch(`${base}${path}`, { headers: auth });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
    };
    const sizes = Array.from({ length: UPLOADS }, (_, i) => file(i, 'bench').length);
    const meanKb = (sizes.reduce((a, b) => a + b, 0) / sizes.length / 1024).toFixed(1);
    const ids = new Set();
    const post = (tag) => async (i) => {
      const res = await upload(base, token, file(i, tag), `bulletin-${tag}-${i}.md`);
      if (res.status !== 202) throw new Error(`upload answered ${res.status}: ${JSON.stringify(res.body)}`);
      ids.add(res.body.id);
    };
    // Warm-up: JIT, connection pools, and a few documents so the list is not empty.
    await timedCalls(30, CLIENTS, post('warm'));
    await timedCalls(100, CLIENTS, get('/api/v1/documents'));
    await timedCalls(100, CLIENTS, get('/health/live'));
    const rows = {
      'GET /health/live (framework baseline)': await timedCalls(UPLOADS, CLIENTS, get('/health/live')),
      'GET /api/v1/documents, authenticated (baseline)': await timedCalls(UPLOADS, CLIENTS, get('/api/v1/documents')),
      [`POST /api/v1/documents, ${UPLOADS} distinct ~${meanKb} KB Markdown files (202)`]: await timedCalls(UPLOADS, CLIENTS, post('bench')),
    };
    if (ids.size !== UPLOADS + 30) throw new Error(`expected ${UPLOADS + 30} distinct documents, got ${ids.size}`);
    const base50 = rows['GET /api/v1/documents, authenticated (baseline)'].p50Ms;
    const health50 = rows['GET /health/live (framework baseline)'].p50Ms;
    for (const row of Object.values(rows)) {
      row.p50VsDocumentsList = `${(row.p50Ms / base50).toFixed(2)}x`;
      row.p50VsHealth = `${(row.p50Ms / health50).toFixed(2)}x`;
    }
    return { clients: CLIENTS, rows };
  } finally {
    await api.stop();
  }
}

// ---- (b) upload to searchable ------------------------------------------------------------------

async function uploadToReady(world, pdfs, onePage) {
  const api = await startProcess(`${world.dist}apps/api/apps/api/src/main.js`, world.env('pdf', { PORT: await freePort() }), '/health/ready');
  const base = `http://127.0.0.1:${api.port}`;
  const { createWorkerApp } = world.require('apps/worker/apps/worker/src/create-worker-app.js');
  // The worker's config as its main.ts builds it: core's loadConfig over the domains' sections.
  const config = appConfig((path) => world.require(path), 'worker', { ...process.env, ...world.env('pdf', { WORKER_PORT: '0' }) });
  const worker = await createWorkerApp(config);
  await worker.init();
  const dataSource = worker.get(require('typeorm').DataSource);
  try {
    const { token } = await registerDealership(base, 'Bench PDFs');
    const run = async (bytes, name) => {
      const started = performance.now();
      const res = await upload(base, token, bytes, name);
      const acceptedMs = performance.now() - started;
      if (res.status !== 202) throw new Error(`upload answered ${res.status}: ${JSON.stringify(res.body)}`);
      const { seen, chunkCount } = await watchDocument(dataSource, res.body.id, started);
      return { acceptedMs: round(acceptedMs), readyMs: round(seen.ready), chunkCount, steps: Object.fromEntries(Object.entries(seen).map(([k, v]) => [k, round(v)])) };
    };
    const single = await run(onePage.bytes, 'one-page.pdf');
    const runs = [];
    for (const [i, pdf] of pdfs.entries()) runs.push(await run(pdf.bytes, `manual-${i}.pdf`));
    return { single, runs };
  } finally {
    await worker.close();
    await api.stop();
  }
}

/** The same work without queues or database: parse + chunk + embed in this thread. */
async function computeFloor(world, bytes) {
  const { parseDocument } = world.require('apps/worker/libs/rag/src/parsing/index.js');
  const { chunkDocument } = world.require('apps/worker/libs/rag/src/chunking/index.js');
  const { LexicalHashEmbedder } = world.require('apps/worker/libs/rag/src/embeddings/lexical-hash-embedder.js');
  const { toFloat32Bytes } = world.require('apps/worker/libs/rag/src/embeddings/vector-bytes.js');
  const embedder = new LexicalHashEmbedder(1024);
  const t0 = performance.now();
  const parsed = await parseDocument(bytes, 'pdf');
  const t1 = performance.now();
  const chunks = chunkDocument(parsed);
  const t2 = performance.now();
  const vectors = await embedder.embed(chunks.map((c) => c.text));
  vectors.map(toFloat32Bytes);
  const t3 = performance.now();
  return { parseMs: round(t1 - t0), chunkMs: round(t2 - t1), embedMs: round(t3 - t2), totalMs: round(t3 - t0), chunks };
}

/**
 * Where the pipeline's fixed cost goes: the same parse + chunk done in this thread (warm) and
 * through ParseSandbox as the ingest handler runs it (a pool of warm parse threads, reused
 * across documents), median of `repeats`, plus the first document of a cold pool.
 */
async function sandboxCost(world, onePage, manual, repeats = 5) {
  const { parseDocument } = world.require('apps/worker/libs/rag/src/parsing/index.js');
  const { chunkDocument } = world.require('apps/worker/libs/rag/src/chunking/index.js');
  const { ParseSandbox } = world.require('apps/worker/libs/rag/src/parsing-sandbox/parse-sandbox.js');
  const sandbox = new ParseSandbox({ knowledge: { parseTimeoutMs: 120_000, parseMaxMemoryMb: 512 }, worker: { concurrency: 2 } });
  const median = async (fn) => {
    const times = [];
    for (let i = 0; i < repeats; i += 1) {
      const t0 = performance.now();
      await fn();
      times.push(performance.now() - t0);
    }
    return round(times.sort((a, b) => a - b)[Math.floor(times.length / 2)]);
  };
  await chunkDocument(await parseDocument(onePage, 'pdf')); // warm this thread's parsers
  const coldStart = performance.now();
  await sandbox.parse(onePage, 'pdf');
  const coldMs = round(performance.now() - coldStart);
  const rows = {
    '1-page PDF, ParseSandbox, first document of a cold pool (a worker warms its pool at boot)': coldMs,
    '1-page PDF, parse + chunk in this thread, warm (baseline)': await median(async () => chunkDocument(await parseDocument(onePage, 'pdf'))),
    '1-page PDF, ParseSandbox (warm pool)': await median(() => sandbox.parse(onePage, 'pdf')),
    [`${PAGES}-page PDF, parse + chunk in this thread, warm`]: await median(async () => chunkDocument(await parseDocument(manual, 'pdf'))),
    [`${PAGES}-page PDF, ParseSandbox (warm pool)`]: await median(() => sandbox.parse(manual, 'pdf')),
  };
  await sandbox.onApplicationShutdown?.();
  const base = rows['1-page PDF, parse + chunk in this thread, warm (baseline)'];
  return Object.fromEntries(Object.entries(rows).map(([k, ms]) => [k, { medianMs: ms, vsBaseline: `${(ms / base).toFixed(1)}x` }]));
}

// ---- (c) embedder throughput ----------------------------------------------------------------

async function embedderThroughput(world, texts) {
  const { LexicalHashEmbedder } = world.require('apps/worker/libs/rag/src/embeddings/lexical-hash-embedder.js');
  const { countTokens } = world.require('apps/worker/libs/rag/src/chunking/index.js');
  const { toFloat32Bytes } = world.require('apps/worker/libs/rag/src/embeddings/vector-bytes.js');
  const embedder = new LexicalHashEmbedder(1024);
  const BATCH = 64; // EMBEDDING_BATCH_SIZE's default: what one chunks.embed job embeds
  const batches = [];
  for (let i = 0; i < texts.length; i += BATCH) batches.push(texts.slice(i, i + BATCH));
  const measure = async (fn) => {
    for (const batch of batches.slice(0, 3)) await fn(batch); // warm-up
    let chunks = 0;
    const started = performance.now();
    while (performance.now() - started < EMBED_SECONDS * 1000) {
      for (const batch of batches) {
        await fn(batch);
        chunks += batch.length;
      }
    }
    return round((chunks * 1000) / (performance.now() - started), 0);
  };
  const rows = {
    'sha256 of each chunk text (baseline)': await measure(async (batch) => batch.map((t) => createHash('sha256').update(t).digest())),
    'cl100k token count of each chunk text (gpt-tokenizer)': await measure(async (batch) => batch.map((t) => countTokens(t))),
    'LexicalHashEmbedder.embed, batches of 64': await measure((batch) => embedder.embed(batch)),
    'embed + toFloat32Bytes (what chunks.embed does before its UPDATEs)': await measure(async (batch) => (await embedder.embed(batch)).map(toFloat32Bytes)),
  };
  const base = rows['sha256 of each chunk text (baseline)'];
  return Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, { chunksPerSecond: v, vsSha256: `${(v / base).toFixed(3)}x` }]));
}

// ---- entry ------------------------------------------------------------------------------------

export async function ingestion() {
  const world = await createBenchWorld('ingest');
  try {
    const upload = await uploadLatency(world);
    const pdfs = [];
    for (let i = 0; i < PDF_RUNS; i += 1) pdfs.push(await makePdf(PAGES, 100 + i));
    const onePage = await makePdf(1, 99);
    const pipeline = await uploadToReady(world, pdfs, onePage);
    const floor = await computeFloor(world, pdfs[0].bytes);
    const sandbox = await sandboxCost(world, onePage.bytes, pdfs[0].bytes);
    const texts = floor.chunks.map((c) => c.text);
    const embed = await embedderThroughput(world, texts);
    const tokens = floor.chunks.map((c) => c.tokenCount).sort((a, b) => a - b);
    const pdfRows = {
      [`compute floor: parse + chunk + embed in-process, ${PAGES}-page PDF (baseline)`]: { ms: floor.totalMs, pagesPerSecond: round((PAGES * 1000) / floor.totalMs), vsFloor: '1.00x' },
      'pipeline: 1-page PDF, upload to ready': { ms: pipeline.single.readyMs, pagesPerSecond: round(1000 / pipeline.single.readyMs), vsFloor: `${(pipeline.single.readyMs / floor.totalMs).toFixed(2)}x` },
      ...Object.fromEntries(
        pipeline.runs.map((r, i) => [
          `pipeline: ${PAGES}-page PDF, upload to ready (run ${i + 1})`,
          { ms: r.readyMs, pagesPerSecond: round((PAGES * 1000) / r.readyMs), vsFloor: `${(r.readyMs / floor.totalMs).toFixed(2)}x` },
        ]),
      ),
    };
    return {
      machine: `${machine()}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB`,
      upload,
      pdf: {
        pages: PAGES,
        sizeBytes: pdfs[0].bytes.length,
        words: pdfs[0].words,
        chunks: floor.chunks.length,
        tokensPerChunk: { min: tokens[0], median: tokens[Math.floor(tokens.length / 2)], max: tokens.at(-1) },
        rows: pdfRows,
        floorSteps: { parseMs: floor.parseMs, chunkMs: floor.chunkMs, embedMs: floor.embedMs },
        sandbox,
        pipelineSteps: pipeline,
      },
      embedder: { chunks: texts.length, rows: embed },
    };
  } finally {
    await world.dispose();
  }
}
