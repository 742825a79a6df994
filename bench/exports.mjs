// Exports bench: a 500-message conversation rendered to PDF, DOCX and CSV by the worker's own
// code (libs/files renderToTempFile over libs/chat's conversationDocument, from dist/), each
// run in a fresh Node process so its peak RSS is that format's alone, beside a same-run
// baseline that writes the same text to a plain file in the same kind of process (same
// modules loaded). Median of RUNS processes per case. Needs `npm run build` first.
import { execFileSync } from 'node:child_process';
import { cp, mkdir, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { machine } from './lib.mjs';

const RUNS = Number(process.env.BENCH_EXPORT_RUNS ?? 5);
const MESSAGES = Number(process.env.BENCH_EXPORT_MESSAGES ?? 500);
const SOURCES = ['rendering/', 'exports/conversation-document.js', 'exports/document-text.js'];

/** Copies the few compiled files the bench needs, so someone's `npm run build` cannot pull them away mid-run. */
async function snapshot() {
  const from = { files: 'dist/apps/worker/libs/files/src/rendering', chat: 'dist/apps/worker/libs/chat/src/exports' };
  if (!existsSync(`${from.files}/render-to-file.js`) || !existsSync(`${from.chat}/conversation-document.js`)) throw new Error('dist/ lacks the exports code: run npm run build');
  const dir = `bench/results/exports-dist-${process.pid}`;
  await mkdir(`${dir}/exports`, { recursive: true });
  await cp(from.files, `${dir}/rendering`, { recursive: true });
  for (const file of SOURCES.slice(1)) await cp(`dist/apps/worker/libs/chat/src/${file}`, `${dir}/${file}`);
  return dir;
}

function runChild(dir, mode) {
  const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--child', dir, mode, String(MESSAGES)], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').at(-1));
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export async function exportsBench() {
  const dir = await snapshot();
  try {
    const rows = [];
    for (const mode of ['baseline', 'pdf', 'docx', 'csv']) {
      const runs = Array.from({ length: RUNS }, () => runChild(dir, mode));
      rows.push({
        label: mode === 'baseline' ? 'baseline: same text to a plain file' : `${mode.toUpperCase()} via renderToTempFile`,
        medianMs: median(runs.map((r) => r.ms)),
        minMs: Math.min(...runs.map((r) => r.ms)),
        maxMs: Math.max(...runs.map((r) => r.ms)),
        fileKb: Math.round(median(runs.map((r) => r.bytes)) / 1024),
        rssBeforeMb: median(runs.map((r) => r.rssBeforeMb)),
        peakRssMb: median(runs.map((r) => r.peakRssMb)),
      });
    }
    const base = rows[0];
    for (const row of rows) {
      row.extraPeakRssMb = row.peakRssMb - base.peakRssMb;
    }
    return { machine: `${machine()}, ${cpus().length} cores (shared)`, messages: MESSAGES, runsPerCase: RUNS, rows };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// ---- child: one render (or the baseline) in a fresh process ----
if (process.argv[2] === '--child') {
  const [, , , dir, mode, count] = process.argv;
  const { createRequire } = await import('node:module');
  const { createWriteStream } = await import('node:fs');
  const { stat, rm: remove } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const { once } = await import('node:events');
  const require = createRequire(join(process.cwd(), dir, 'x.js'));
  const { renderToTempFile } = require(`./rendering/render-to-file.js`);
  const { conversationDocument } = require(`./exports/conversation-document.js`);
  const started = Date.parse('2026-12-01T09:00:00Z');
  const paragraph = 'The powertrain warranty covers the engine, transmission and drive axles for 5 years or 60,000 miles, whichever comes first; Ελληνικά, Кириллица and Čeština render too. ';
  const messages = Array.from({ length: Number(count) }, (_, i) => ({
    id: `m${i}`,
    role: i % 2 === 0 ? 'user' : 'assistant',
    content: i % 2 === 0 ? `Question ${i / 2 + 1}: what does the warranty cover for this model?` : `${paragraph.repeat(3)}[1][2]`,
    citations: i % 2 === 0 ? [] : [1, 2].map((n) => ({ documentId: 'd', documentTitle: `Warranty terms ${n}`, chunkId: `c${n}`, page: n, snippet: paragraph })),
    status: 'complete',
    createdAt: new Date(started + i * 30_000).toISOString(),
  }));
  const conversation = { id: 'c', title: 'Bench conversation', userId: 'u', createdAt: messages[0].createdAt, updatedAt: messages.at(-1).createdAt, messages };
  const doc = conversationDocument({ dealershipName: 'Bench Motors', conversation, author: { name: 'Bench Staff', role: 'staff' }, exportedAt: new Date() });
  const rssBeforeMb = Math.round(process.memoryUsage().rss / 1048576);
  const t0 = performance.now();
  let bytes;
  if (mode === 'baseline') {
    const path = join(tmpdir(), `showroom-bench-${process.pid}.txt`);
    const out = createWriteStream(path);
    for (const m of messages) {
      if (!out.write(`${m.role} ${m.createdAt}\n${m.content}\n${m.citations.map((c) => `${c.documentTitle}: ${c.snippet}`).join('\n')}\n\n`)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
    bytes = (await stat(path)).size;
    await remove(path);
  } else {
    const file = await renderToTempFile(doc, mode, { maxBytes: 1024 * 1024 * 1024 });
    bytes = file.sizeBytes;
    await file.dispose();
  }
  const ms = Math.round(performance.now() - t0);
  console.log(JSON.stringify({ ms, bytes, rssBeforeMb, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }));
  process.exit(0);
}
