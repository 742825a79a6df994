#!/usr/bin/env node
// `npm run demo`: a newcomer's first minute with Showroom.
//
// Against a running api + worker (`npm start`), this script:
//   1. signs up the demo dealership and its owner, or signs in if they already exist;
//   2. uploads the sample knowledge base in demo/knowledge/ (the api deduplicates identical
//      uploads, so a second run reuses the same documents) and waits until every document is
//      ready, printing progress;
//   3. opens a conversation, asks one question over Server-Sent Events and prints the streamed
//      answer and its citations;
//   4. prints the credentials, an access token and a curl command that asks the same question.
//
// Safe to run any number of times. Settings (all optional):
//   SHOWROOM_URL             the api's base URL (default http://localhost:3000)
//   DEMO_EMAIL, DEMO_PASSWORD  the demo owner's credentials (defaults below)
//   DEMO_READY_TIMEOUT_MS    how long to wait for the documents (default 120000)
//
// Plain Node (20 or newer) with its built-in fetch; no dependencies.

import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const BASE_URL = (process.env.SHOWROOM_URL || 'http://localhost:3000').replace(/\/+$/, '');
const KNOWLEDGE_DIR = fileURLToPath(new URL('../demo/knowledge/', import.meta.url));
const DEMO = {
  dealershipName: 'Harbor Point Motors (demo)',
  name: 'Demo Owner',
  email: process.env.DEMO_EMAIL || 'demo.owner@harborpoint.example',
  password: process.env.DEMO_PASSWORD || 'harbor-point-demo-drive',
};
const QUESTION = 'What does the powertrain warranty cover?';
const READY_TIMEOUT_MS = Number(process.env.DEMO_READY_TIMEOUT_MS || 120_000);
const REQUEST_TIMEOUT_MS = 30_000;
const POLL_MS = 1_000;
const CONTENT_TYPES = { '.csv': 'text/csv', '.md': 'text/markdown', '.html': 'text/html', '.txt': 'text/plain' };

/** A failure the user can act on: what went wrong, and what to do about it. */
class DemoError extends Error {
  constructor(message, hint) {
    super(message);
    this.hint = hint;
  }
}

// Piped into `head`, say: stop quietly when the reader goes away.
process.stdout.on('error', (error) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

let lineOpen = false; // the answer is being streamed onto the current line
const write = (text) => {
  process.stdout.write(text);
  lineOpen = !text.endsWith('\n');
};
const say = (line = '') => write(`${line}\n`);

async function main() {
  say(`Showroom demo against ${BASE_URL}`);
  say();
  await checkApi();
  const session = await signIn();
  const documents = await uploadKnowledge(session.accessToken);
  await waitUntilReady(session.accessToken, documents);
  const conversationId = await createConversation(session.accessToken);
  await askOnce(session.accessToken, conversationId);
  printNextSteps(session, conversationId);
}

// ---------------------------------------------------------------------------------------------
// HTTP

/** One JSON request. Retries after a 429 as its Retry-After says; any answer is returned as is. */
async function call(method, path, { token, json, form } = {}) {
  const headers = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  let body;
  if (json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(json);
  } else if (form) {
    body = form;
  }
  for (let attempt = 1; ; attempt += 1) {
    let res;
    try {
      res = await fetch(`${BASE_URL}${path}`, { method, headers, body, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    } catch (error) {
      throw unreachable(error);
    }
    const text = await res.text();
    let data;
    try {
      data = text ? JSON.parse(text) : undefined;
    } catch {
      data = text;
    }
    if (res.status === 429 && attempt < 5) {
      const seconds = Math.min(Number(res.headers.get('retry-after')) || 1, 60);
      say(`  (rate limited; retrying in ${seconds}s)`);
      await sleep(seconds * 1000);
      continue;
    }
    return { status: res.status, data };
  }
}

function unreachable(error) {
  const code = error?.cause?.code ?? error?.code ?? error?.name;
  if (code === 'TimeoutError') {
    return new DemoError(`The api at ${BASE_URL} did not answer within ${REQUEST_TIMEOUT_MS / 1000}s.`, 'Is it overloaded or stuck? Check the terminal running `npm start`.');
  }
  return new DemoError(
    `Cannot reach the Showroom api at ${BASE_URL}${code ? ` (${code})` : ''}.`,
    'Start it with `npm start` in another terminal (it builds, migrates and runs the api and worker), wait for it to listen, then run `npm run demo` again.\nIf it runs elsewhere, set SHOWROOM_URL, e.g. SHOWROOM_URL=http://localhost:3100 npm run demo.',
  );
}

/** "409 EMAIL_TAKEN: An account with this email already exists. (email is already registered)" */
function describe({ status, data }) {
  const error = data?.error;
  if (!error) return `HTTP ${status}${typeof data === 'string' && data ? `: ${data.slice(0, 200)}` : ''}`;
  const details = (error.details ?? []).map((d) => (d.field ? `${d.field} ${d.message}` : (d.message ?? JSON.stringify(d)))).join('; ');
  return `${status} ${error.code}: ${error.message}${details ? ` (${details})` : ''}`;
}

function expectStatus(res, statuses, what) {
  if (statuses.includes(res.status)) return res.data;
  throw new DemoError(`${what} failed: ${describe(res)}`);
}

// ---------------------------------------------------------------------------------------------
// Steps

async function checkApi() {
  const res = await call('GET', '/health/ready');
  if (res.status === 200) return;
  if (res.status === 503) {
    throw new DemoError(`The api at ${BASE_URL} is up but not ready: ${describe(res)}`, 'Postgres and Redis must be running (see README "Two commands"); the api log says which one failed.');
  }
  throw new DemoError(`${BASE_URL}/health/ready answered ${describe(res)}; is this a Showroom api?`, 'Set SHOWROOM_URL to the api\'s base URL (default http://localhost:3000).');
}

async function signIn() {
  const registered = await call('POST', '/api/v1/auth/register', { json: DEMO });
  if (registered.status === 201) {
    say(`✔ Created the demo dealership "${registered.data.dealership.name}" and its owner ${DEMO.email}`);
    return registered.data;
  }
  // 409: the demo owner exists from an earlier run. 403: sign-ups are off; the account may still exist.
  if (registered.status !== 409 && registered.status !== 403) expectStatus(registered, [201], 'Signing up the demo dealership');
  const login = await call('POST', '/api/v1/auth/login', { json: { email: DEMO.email, password: DEMO.password } });
  if (login.status === 200) {
    say(`✔ Signed in as ${DEMO.email} (dealership "${login.data.dealership?.name ?? '?'}" exists from an earlier run)`);
    return login.data;
  }
  if (registered.status === 403) {
    throw new DemoError(`Sign-up is disabled on this api (${describe(registered)}) and no demo owner can sign in.`, 'Run the demo against an api with REGISTRATION_ENABLED=true (the default), or set DEMO_EMAIL and DEMO_PASSWORD to an existing owner or admin.');
  }
  throw new DemoError(
    `${DEMO.email} exists but signing in failed: ${describe(login)}`,
    'Someone changed the demo owner\'s password. Set DEMO_EMAIL (a new address) or DEMO_PASSWORD (the current password) and run again.',
  );
}

async function uploadKnowledge(token) {
  const names = (await readdir(KNOWLEDGE_DIR)).filter((name) => !name.startsWith('.')).sort();
  if (names.length === 0) throw new DemoError(`No files in ${KNOWLEDGE_DIR}.`);
  say(`✔ Uploading the sample knowledge base (demo/knowledge/: ${names.join(', ')})`);
  const documents = [];
  for (const name of names) {
    const bytes = await readFile(join(KNOWLEDGE_DIR, name));
    const form = new FormData();
    form.append('file', new Blob([bytes], { type: CONTENT_TYPES[name.slice(name.lastIndexOf('.'))] ?? 'application/octet-stream' }), name);
    const res = await call('POST', '/api/v1/documents', { token, form });
    let doc = expectStatus(res, [200, 202], `Uploading ${name}`);
    if (res.status === 202) {
      say(`    ${name}: uploaded, ${doc.status}`);
    } else if (doc.status === 'failed') {
      // Same bytes uploaded before, but that ingestion failed: try once more.
      say(`    ${name}: uploaded before but failed (${doc.error ?? 'no reason given'}); reindexing`);
      doc = expectStatus(await call('POST', `/api/v1/documents/${doc.id}/reindex`, { token }), [202], `Reindexing ${name}`);
    } else {
      say(`    ${name}: already uploaded, ${doc.status}`);
    }
    documents.push({ name, id: doc.id, status: doc.status, progress: doc.progress, chunkCount: doc.chunkCount, error: doc.error });
  }
  return documents;
}

async function waitUntilReady(token, documents) {
  const pending = () => documents.filter((d) => d.status !== 'ready' && d.status !== 'failed');
  if (pending().length > 0) say(`… Waiting for the worker to parse, chunk and embed them (up to ${Math.round(READY_TIMEOUT_MS / 1000)}s)`);
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (pending().length > 0) {
    if (Date.now() > deadline) {
      const stuck = pending().map((d) => `${d.name} (${d.status}, ${d.progress}%)`).join(', ');
      throw new DemoError(
        `Documents not ready after ${Math.round(READY_TIMEOUT_MS / 1000)}s: ${stuck}.`,
        'Is the worker running? `npm start` runs it beside the api; alone it is `npm run start:worker`. Its log names any failing job.',
      );
    }
    await sleep(POLL_MS);
    const latest = await currentDocuments(token, documents);
    for (const doc of documents) {
      const now = latest.get(doc.id);
      if (!now) throw new DemoError(`${doc.name} (${doc.id}) disappeared while waiting; was it deleted? Run the demo again.`);
      if (now.status !== doc.status || now.progress !== doc.progress) {
        Object.assign(doc, { status: now.status, progress: now.progress, chunkCount: now.chunkCount, error: now.error });
        say(`    ${doc.name.padEnd(18)} ${doc.status.padEnd(10)} ${String(doc.progress).padStart(3)}%${doc.status === 'ready' ? `  (${plural(doc.chunkCount, 'chunk')})` : ''}`);
      }
    }
  }
  const failed = documents.filter((d) => d.status === 'failed');
  if (failed.length > 0) {
    throw new DemoError(`Ingestion failed: ${failed.map((d) => `${d.name}: ${d.error ?? 'no reason given'}`).join('; ')}`, 'The worker log has the details.');
  }
  say(`✔ ${plural(documents.length, 'document')} ready (${plural(documents.reduce((sum, d) => sum + (d.chunkCount ?? 0), 0), 'chunk')}, searchable)`);
}

/** The documents' current rows: one list request per poll (the per-user rate limit is per minute). */
async function currentDocuments(token, documents) {
  const wanted = new Set(documents.map((d) => d.id));
  const found = new Map();
  let cursor;
  do {
    const query = `?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page = expectStatus(await call('GET', `/api/v1/documents${query}`, { token }), [200], 'Reading document status');
    for (const item of page.items) if (wanted.has(item.id)) found.set(item.id, item);
    cursor = page.nextCursor;
  } while (cursor && found.size < wanted.size);
  return found;
}

async function createConversation(token) {
  const conversation = expectStatus(await call('POST', '/api/v1/conversations', { token, json: { title: 'Demo: first minute' } }), [201], 'Creating a conversation');
  say(`✔ Opened conversation ${conversation.id}`);
  return conversation.id;
}

async function askOnce(token, conversationId) {
  say();
  say(`Q: ${QUESTION}`);
  write('A: ');
  let res;
  try {
    res = await fetch(`${BASE_URL}/api/v1/conversations/${conversationId}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream', 'content-type': 'application/json' },
      body: JSON.stringify({ content: QUESTION }),
      signal: AbortSignal.timeout(READY_TIMEOUT_MS),
    });
  } catch (error) {
    throw unreachable(error);
  }
  if (!res.headers.get('content-type')?.includes('text/event-stream')) {
    const text = await res.text();
    let data = text;
    try {
      data = JSON.parse(text);
    } catch {
      /* not JSON: shown as text */
    }
    throw new DemoError(`Asking the question failed: ${describe({ status: res.status, data })}`);
  }
  let answer = '';
  let citations;
  let finished = false;
  try {
    for await (const event of readEvents(res.body)) {
      if (event.event === 'token') {
        answer += event.data.delta;
        write(event.data.delta);
      } else if (event.event === 'citations') {
        citations = event.data.citations;
      } else if (event.event === 'error') {
        throw new DemoError(`The answer stream ended with an error: ${describe({ status: res.status, data: event.data })}`);
      } else if (event.event === 'done') {
        finished = true;
      }
    }
  } catch (error) {
    if (error instanceof DemoError) throw error;
    throw new DemoError(`The answer stream broke off: ${error?.cause?.code ?? error?.message ?? error}`, 'Did the api stop? Check the terminal running `npm start`.');
  }
  say();
  if (!finished) throw new DemoError('The answer stream ended before its `done` event.');
  say();
  say('Citations:');
  if (!citations?.length) say('  (none: nothing in the knowledge base matched)');
  const numbers = citedNumbers(answer);
  citations?.forEach((citation, i) => {
    const label = numbers.length === citations.length ? `[${numbers[i]}]` : '-';
    const where = citation.page ? `, page ${citation.page}` : '';
    say(`  ${label} ${citation.documentTitle}${where}: "${citation.snippet.replace(/\s+/g, ' ').slice(0, 160)}${citation.snippet.length > 160 ? '…' : ''}"`);
  });
}

/** Server-Sent Events from a fetch body: { event, data } with data parsed as JSON. */
async function* readEvents(body) {
  let buffer = '';
  for await (const chunk of body.pipeThrough(new TextDecoderStream())) {
    buffer += chunk;
    // Keep a trailing "\r" until the next chunk says whether a "\n" follows.
    const complete = buffer.endsWith('\r') ? buffer.slice(0, -1) : buffer;
    const normalized = complete.replace(/\r\n?/g, '\n');
    const blocks = normalized.split('\n\n');
    buffer = blocks.pop() + buffer.slice(complete.length);
    for (const block of blocks) {
      let event = 'message';
      const data = [];
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon === -1 ? line : line.slice(0, colon);
        const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') event = value;
        else if (field === 'data') data.push(value);
      }
      if (data.length > 0) yield { event, data: JSON.parse(data.join('\n')) };
    }
  }
}

/** The source numbers an answer cites ("[1]", "[2, 3]"), in order of first use, as the api orders its citations. */
function citedNumbers(answer) {
  const seen = [];
  for (const [, inside] of answer.matchAll(/\[\s*(\d+(?:\s*[,;]\s*\d+)*)\s*\](?!\()/g)) {
    for (const n of inside.split(/\s*[,;]\s*/).map(Number)) if (!seen.includes(n)) seen.push(n);
  }
  return seen;
}

function printNextSteps(session, conversationId) {
  const minutes = Math.round((session.expiresIn ?? 900) / 60);
  const url = `${BASE_URL}/api/v1/conversations/${conversationId}/messages`;
  const curl = [
    `curl -sSN -X POST ${shellQuote(url)} \\`,
    `  -H ${shellQuote(`Authorization: Bearer ${session.accessToken}`)} \\`,
    `  -H 'Accept: text/event-stream' \\`,
    `  -H 'Content-Type: application/json' \\`,
    `  -d ${shellQuote(JSON.stringify({ content: QUESTION }))}`,
  ];
  say();
  say('─'.repeat(78));
  say('Your demo dealership is ready.');
  say();
  say(`  api           ${BASE_URL}   (API docs: ${BASE_URL}/docs)`);
  say(`  dealership    ${session.dealership?.name ?? DEMO.dealershipName}`);
  say(`  email         ${DEMO.email}`);
  say(`  password      ${DEMO.password}`);
  say(`  role          ${session.user?.role ?? 'owner'}`);
  say(`  access token  (valid ${minutes} minutes; run \`npm run demo\` again for a fresh one)`);
  say(`  ${session.accessToken}`);
  say();
  say('Ask it yourself (copy and paste; change the question in the last line):');
  say();
  for (const line of curl) say(line);
  say();
  say('The answer streams as `event: token` lines, then `event: citations`, then `event: done`.');
  say('─'.repeat(78));
}

const plural = (n, noun) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** Wraps a string in single quotes for POSIX shells. */
function shellQuote(value) {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

main().catch((error) => {
  if (lineOpen) say();
  if (error instanceof DemoError) {
    process.stderr.write(`✖ ${error.message}\n`);
    if (error.hint) process.stderr.write(`  ${error.hint.replaceAll('\n', '\n  ')}\n`);
  } else {
    process.stderr.write(`✖ The demo failed unexpectedly: ${error?.stack ?? error}\n`);
  }
  process.exitCode = 1;
});
