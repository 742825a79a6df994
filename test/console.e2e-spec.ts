import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createApiApp } from '../apps/api/src/create-api-app';
import { createWorkerApp } from '../apps/worker/src/create-worker-app';
import { makePdf } from '../libs/rag/src/parsing/__fixtures__/make-test-files';
import { STRONG_PASSWORD, uniqueEmail } from './support/auth-helpers';
import { FakeOpenAiServer, fakeLlmEnv } from './support/fake-openai-server';
import { TestContext } from './support/test-context';
import { waitFor } from './support/wait-for';

/** Debian's Chromium (installed by .ci/run, never downloaded), headless and quiet. */
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
/** A failed step leaves a screenshot here (gitignored). */
const ARTIFACTS = join(__dirname, '..', 'test-artifacts');

const ANSWER = 'The powertrain warranty covers the engine, transmission and drive axles for 5 years or 60,000 miles [1].';
/** Runs in the page (a function, not a string: the console's CSP forbids eval, for tests too). */
const noSidewaysScroll = () => {
  const page = globalThis as unknown as { innerWidth: number; document: { documentElement: { scrollWidth: number } } };
  return page.document.documentElement.scrollWidth <= page.innerWidth;
};
const SPOKEN_QUESTION = 'What does the powertrain warranty cover';
const LONG_ANSWER = Array.from({ length: 80 }, (_, i) => `word${i}`).join(' ');

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * The console end to end in a real browser: the built console (dist/web, from `npm run
 * build`) served by a real api, a real worker ingesting into the suite's Postgres and Redis,
 * the local embedder, and the LLM port on the fake OpenAI server (scripted text and pace, so
 * streaming and Stop are observable). Steps share one page, as a person's morning does.
 */
describe('the staff console in Chromium', () => {
  let ctx: TestContext;
  let fake: FakeOpenAiServer;
  let worker: INestApplication;
  let api: NestExpressApplication;
  let browser: Browser;
  let page: Page;
  let base: string;
  const owner = { email: uniqueEmail('owner'), password: STRONG_PASSWORD };
  const problems: string[] = [];
  let spokenSeconds = 0;

  /** A test whose failure keeps a screenshot of the page in test-artifacts/. */
  const step = (name: string, body: () => Promise<void>) =>
    it(name, async () => {
      try {
        await body();
      } catch (error) {
        mkdirSync(ARTIFACTS, { recursive: true });
        await page?.screenshot({ path: join(ARTIFACTS, `console-${name.replace(/\W+/g, '-').slice(0, 60)}.png`), fullPage: true }).catch(() => undefined);
        throw error;
      }
    }, 60_000);

  beforeAll(async () => {
    ctx = await TestContext.create();
    fake = await FakeOpenAiServer.start();
    // Slow enough (~3 s an answer) that the page is read mid-stream even on a loaded CI machine.
    fake.reply({ text: ANSWER, tokenDelayMs: 150 });
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const config = ctx.config({
      ...fakeLlmEnv(fake),
      WORKER_QUEUES: 'ingestion,embeddings',
      // The gateway checks a browser's Origin against CORS_ORIGINS, the console's own origin included.
      CORS_ORIGINS: base,
      CHAT_RESUME_GRACE_MS: '500',
      // The steps run a morning's clicks in seconds; the defaults (10 a second, 100 a minute per user) would cut them off.
      RATE_LIMIT_USER_PER_SECOND: '100',
      RATE_LIMIT_USER_PER_MINUTE: '1000',
    });
    worker = await createWorkerApp(config);
    api = await createApiApp(config);
    await worker.init();
    await api.listen(port, '127.0.0.1');
    const registered = await fetch(`${base}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ dealershipName: 'Harbor Point Motors', name: 'Dana Owner', ...owner }),
    });
    expect(registered.status).toBe(201);
    // The microphone is Chromium's fake device playing a question spoken by flite (16 kHz mono, a
    // little silence around it; Chromium loops the file).
    const question = join(mkdtempSync(join(tmpdir(), 'console-voice-')), 'question.wav');
    execFileSync('flite', ['-t', SPOKEN_QUESTION, '-o', `${question}.raw.wav`]);
    execFileSync('sox', [`${question}.raw.wav`, '-r', '16000', '-c', '1', '-b', '16', question, 'pad', '0.2', '0.3']);
    spokenSeconds = Number(execFileSync('soxi', ['-D', question]).toString().trim());
    const fakeMicrophone = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-audio-capture=${question}`, '--autoplay-policy=no-user-gesture-required'];
    browser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, ...fakeMicrophone] });
    // One context, so further tabs share the first one's localStorage like a person's browser.
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, permissions: ['microphone'] })).newPage();
    page.on('console', (message) => message.type() === 'error' && problems.push(`${message.text()} (${message.location().url})`));
    page.on('pageerror', (error) => problems.push(error.message));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([api?.close(), worker?.close()]);
    await fake?.close();
    await ctx?.dispose();
  });

  step('signs in with the keyboard', async () => {
    await page.goto(`${base}/`);
    await page.getByLabel('Email').focus();
    await page.keyboard.type(owner.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(owner.password);
    await page.keyboard.press('Enter');
    await page.getByRole('link', { name: 'Documents' }).waitFor();
    expect(page.url()).toBe(`${base}/chat`);
  });

  step('uploads a document and watches it reach ready', async () => {
    await page.getByRole('link', { name: 'Documents' }).click();
    await page.getByText('Progress is live.').waitFor();
    const pdf = await makePdf([
      { heading: 'Service hours', paragraphs: ['The service desk is open Monday to Saturday from 7 am to 6 pm.'] },
      { heading: 'Powertrain warranty', paragraphs: [ANSWER.replace(' [1]', '') + ' Wear items such as brake pads are not included.'] },
    ]);
    await page.getByLabel('Upload').setInputFiles({ name: 'warranty-booklet.pdf', mimeType: 'application/pdf', buffer: pdf });
    const row = page.getByRole('row', { name: /warranty-booklet\.pdf/ });
    await row.getByText('Ready').waitFor({ timeout: 30_000 });
    expect(await row.getByRole('progressbar').getAttribute('value')).toBe('100');
    expect(Number(await row.getByRole('cell').nth(1).textContent())).toBeGreaterThan(0);
  });

  step('asks and sees the answer stream in; its citation opens the cited passage with document and page', async () => {
    await page.getByRole('link', { name: 'Chat' }).click();
    await page.getByLabel('Message').fill('What does the powertrain warranty cover?');
    await page.getByRole('button', { name: 'Send' }).click();
    const text = page.locator('.message.assistant .message-text').last();
    // While the answer streams, Stop replaces Send and the text grows on screen: sample it until Stop goes.
    const stop = page.getByRole('button', { name: 'Stop' });
    await stop.waitFor();
    const seen: string[] = [];
    while (await stop.isVisible()) {
      seen.push((await text.textContent().catch(() => '')) ?? '');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const source = page.getByRole('button', { name: 'Source 1: warranty-booklet.pdf, page 2' });
    await source.waitFor();
    const full = (await text.textContent()) ?? '';
    expect(full).toBe(ANSWER);
    const partials = seen.filter((t) => t.length > 0 && t.length < full.length);
    expect(partials.length).toBeGreaterThan(0);
    expect(partials.every((t) => full.startsWith(t))).toBe(true);

    await source.click();
    const panel = page.getByRole('dialog', { name: 'Source 1: warranty-booklet.pdf' });
    await panel.waitFor();
    expect(await panel.textContent()).toContain('Page 2');
    expect(await panel.textContent()).toContain('drive axles');
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });
  });

  step('gives feedback on the answer', async () => {
    await page.getByRole('button', { name: 'Not helpful' }).click();
    await page.getByLabel('Comment (optional)').fill('Say whether roadside assistance is included.');
    await page.getByRole('button', { name: 'Send comment' }).click();
    // The comment form closes once the api has the comment.
    await page.getByRole('button', { name: 'Send comment' }).waitFor({ state: 'detached' });
    await page.getByText('Thanks for the feedback.').waitFor();
    const { rows } = await ctx.db.query<{ rating: string; comment: string }>('SELECT rating, comment FROM message_feedback');
    expect(rows).toEqual([{ rating: 'down', comment: 'Say whether roadside assistance is included.' }]);
  });

  step('stops a stream: the text stops growing and the upstream call is aborted', async () => {
    fake.queue({ text: LONG_ANSWER, tokenDelayMs: 150 });
    const before = fake.requests.length;
    await page.getByLabel('Message').fill('What does the powertrain warranty cover for drive axles?');
    await page.keyboard.press('Enter');
    await page.locator('.message.assistant .message-text').last().getByText(/word3/).waitFor();
    await page.getByRole('button', { name: 'Stop' }).click();
    await page.getByText('Stopped.', { exact: false }).waitFor();
    const text = page.locator('.message.assistant .message-text').last();
    const stopped = (await text.textContent()) ?? '';
    await page.waitForTimeout(600);
    expect(await text.textContent()).toBe(stopped);
    expect(stopped.length).toBeLessThan(LONG_ANSWER.length);
    await page.getByRole('button', { name: 'Send' }).waitFor();
    // Nobody resumed within CHAT_RESUME_GRACE_MS, so the api gave up on the model.
    await waitFor('the upstream call to be aborted', () => fake.requests.length > before && fake.requests.at(-1)!.aborted);
  });

  step('holds Push to talk: the fake microphone question is transcribed and the answer streams in', async () => {
    const usersBefore = await page.locator('.message.user').count();
    const before = await page.locator('.message.assistant').count();
    const button = page.getByRole('button', { name: 'Push to talk' });
    await button.hover();
    await page.mouse.down();
    await page.getByText('Listening… release to send.').waitFor();
    // Hold for one pass of the looping file, as a person holds the button while speaking.
    await page.waitForTimeout(Math.round(spokenSeconds * 1000));
    await page.mouse.up();
    // The transcript is the user's message. Which words the local recogniser keeps varies with
    // where in the looping file the capture began, so only some of the question's are required.
    const transcript = page.locator('.message.user .message-text').nth(usersBefore);
    await transcript.filter({ hasText: /what|does|powertrain|warranty|cover/i }).waitFor({ timeout: 30_000 });
    const answer = page.locator('.message.assistant .message-text').nth(before);
    await answer.filter({ hasText: /\S/ }).waitFor({ timeout: 30_000 });
    // Stored like a typed question: the transcript and the answer on screen are the conversation's.
    const stored = async () =>
      (await ctx.db.query<{ role: string; content: string; status: string }>('SELECT role, content, status FROM messages ORDER BY created_at DESC, role DESC LIMIT 2')).rows;
    await waitFor('the spoken turn to be stored', async () => (await stored()).some((r) => r.role === 'assistant' && r.status === 'complete' && r.content.length > 0));
    const rows = await stored();
    await answer.filter({ hasText: rows.find((r) => r.role === 'assistant')!.content }).waitFor();
    expect(await transcript.textContent()).toBe(rows.find((r) => r.role === 'user')!.content);
  });

  step('creates a staff user who can then sign in', async () => {
    await page.getByRole('link', { name: 'Users' }).click();
    const email = uniqueEmail('staff');
    const form = page.getByRole('form', { name: 'Create user' });
    await form.getByLabel('Name').fill('Sam Staff');
    await form.getByLabel('Email').fill(email);
    await form.getByLabel('Role').selectOption('staff');
    await form.getByLabel('Initial password').fill(STRONG_PASSWORD);
    await form.getByRole('button', { name: 'Create user' }).click();
    await page.getByRole('row', { name: new RegExp(email) }).waitFor();
    expect(await page.getByRole('row', { name: new RegExp(email) }).getByRole('combobox').inputValue()).toBe('staff');
    const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email, password: STRONG_PASSWORD }) });
    expect(login.status).toBe(200);
  });

  step('two tabs refresh the rotating token once between them and both stay signed in', async () => {
    const second = await page.context().newPage();
    const refreshes: string[] = [];
    const answered: number[] = [];
    for (const tab of [page, second]) {
      tab.on('request', (r) => r.url().endsWith('/api/v1/auth/refresh') && refreshes.push(r.url()));
      tab.on('response', (r) => r.url().endsWith('/api/v1/auth/refresh') && answered.push(r.status()));
    }
    await second.goto(`${base}/chat`);
    await second.getByLabel('Message').waitFor();
    // Both tabs now hold an access token about to expire (the refresh margin is a minute): the
    // other tab hears it through the storage event and refreshes at once, while this tab's next
    // request wants a fresh token at the same moment. Without the cross-tab lock both would send
    // the same refresh token and the loser would be signed out.
    // Refreshes take half a second on the wire, so the two tabs' attempts overlap for certain.
    await page.context().route('**/api/v1/auth/refresh', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 500));
      // The tab may have closed meanwhile (its routes are then settled by Playwright).
      await route.continue().catch(() => undefined);
    });
    await page.evaluate(() => {
      const stored = JSON.parse(localStorage.getItem('showroom.session')!) as { expiresAt: number };
      localStorage.setItem('showroom.session', JSON.stringify({ ...stored, expiresAt: Date.now() + 5_000 }));
    });
    await page.getByRole('link', { name: 'Documents' }).click();
    await page.getByRole('row', { name: /warranty-booklet\.pdf/ }).waitFor();
    await second.getByRole('link', { name: 'Usage' }).click();
    // The totals appear only once the usage report arrived, read with the refreshed token.
    await second.getByText('Tokens in / out').waitFor();
    // A tab closed while its refresh is on the wire loses the rotated pair; let it land first.
    await waitFor('the refresh to be answered', () => answered.length > 0);
    expect(answered).toEqual([200]);
    expect(refreshes).toHaveLength(1);
    await page.context().unrouteAll({ behavior: 'ignoreErrors' });
    await second.close();
    // The family was not revoked: after a reload this tab still works with the stored pair.
    await page.reload();
    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByRole('row', { name: /Sam Staff/ }).waitFor();
    expect(refreshes).toHaveLength(1);
  });

  step('is usable at phone width', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('link', { name: 'Chat' }).click();
    await page.getByLabel('Message').waitFor();
    expect(await page.getByRole('button', { name: 'Send' }).isVisible()).toBe(true);
    expect(await page.evaluate(noSidewaysScroll)).toBe(true);
    await page.getByRole('link', { name: 'Documents' }).click();
    expect(await page.getByLabel('Upload').isEnabled()).toBe(true);
    expect(await page.evaluate(noSidewaysScroll)).toBe(true);
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  step('signs out: back at sign-in, and the refresh token no longer works', async () => {
    const refreshToken = await page.evaluate(() => (JSON.parse(localStorage.getItem('showroom.session') ?? '{}') as { refreshToken?: string }).refreshToken);
    expect(refreshToken).toBeTruthy();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(await page.evaluate(() => localStorage.getItem('showroom.session'))).toBeNull();
    await waitFor('the refresh token to be revoked', async () => {
      const refresh = await fetch(`${base}/api/v1/auth/refresh`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ refreshToken }) });
      return refresh.status === 401;
    });
  });

  step('ran without a script error or a Content-Security-Policy violation', async () => {
    expect(problems).toEqual([]);
  });
});
