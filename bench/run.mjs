// `npm run bench`: builds nothing itself (run `npm run build` first), runs every benchmark
// against the local Postgres and Redis, prints Markdown tables and writes bench/results/*.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { auth } from './auth.mjs';
import { avatar } from './avatar.mjs';
import { chat } from './chat.mjs';
import { exportsBench } from './exports.mjs';
import { httpFrameworkTax } from './http-framework-tax.mjs';
import { ingestion } from './ingestion.mjs';
import { outboxCost } from './outbox-cost.mjs';
import { retrievalQuality } from './retrieval-quality.mjs';
import { search } from './search.mjs';
import { voiceQuality } from './voice-quality.mjs';
import { voiceTurn } from './voice-turn.mjs';

const BENCHMARKS = {
  'http-framework-tax': httpFrameworkTax,
  'outbox-cost': outboxCost,
  auth,
  search,
  ingestion,
  'retrieval-quality': retrievalQuality,
  chat,
  exports: exportsBench,
  avatar,
  'voice-quality': voiceQuality,
  'voice-turn': voiceTurn,
};
// Benchmarks whose results are nested tables: printed as JSON (the file in bench/results has it all).
const PRINT_AS_JSON = new Set(['search', 'ingestion', 'retrieval-quality', 'chat', 'avatar', 'voice-quality', 'voice-turn']);
const only = process.argv.slice(2);

function table(rows, baselineKey, rateKey) {
  const entries = Array.isArray(rows) ? rows.map((r) => [r.label, r]) : Object.entries(rows);
  const base = entries[0][1][rateKey];
  const columns = Object.keys(entries[0][1]).filter((k) => k !== 'label');
  const lines = [`| case | ${columns.join(' | ')} | ${rateKey} vs ${baselineKey} |`, `|${' --- |'.repeat(columns.length + 2)}`];
  for (const [name, row] of entries) lines.push(`| ${name} | ${columns.map((c) => row[c]).join(' | ')} | ${(row[rateKey] / base).toFixed(2)}x |`);
  return lines.join('\n');
}

mkdirSync('bench/results', { recursive: true });
for (const [name, run] of Object.entries(BENCHMARKS)) {
  if (only.length && !only.includes(name)) continue;
  const result = await run();
  writeFileSync(`bench/results/${name}.json`, JSON.stringify({ at: new Date().toISOString(), ...result }, null, 2));
  console.log(`\n## ${name} (${result.machine})\n`);
  if (PRINT_AS_JSON.has(name)) {
    const shown = Object.fromEntries(Object.entries(result).filter(([key]) => key !== 'machine' && key !== 'perQuestion'));
    console.log(JSON.stringify(name === 'search' ? result.rows : shown, null, 2));
    continue;
  }
  const rate = name === 'outbox-cost' ? 'jobsPerSecond' : name === 'exports' ? 'medianMs' : 'requestsPerSecond';
  console.log(table(result.rows, 'baseline', rate));
}
process.exit(0);
