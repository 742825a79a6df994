import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Paths that belong to the api, never to the console: a browser asking for /api/v1/nope or
 * /docs-json gets the api's answer (JSON 404 envelope included), not index.html.
 */
const API_SEGMENTS = new Set(['api', 'v1', 'health', 'metrics', 'docs', 'docs-json']);

/** `npm run build:web` writes the console to dist/web at the project root (the folder with package.json). */
export function webConsoleDirectory(from = __dirname): string | undefined {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'dist', 'web');
  }
  return undefined;
}

/**
 * Serves the staff console (apps/web's Vite build) at /: hashed files under /assets are
 * cached for a year as immutable (a new build has new names), index.html is revalidated on
 * every load (no-cache) so a deploy shows at once, and any other browser navigation outside
 * the api's paths gets index.html so the client-side router can draw /documents or /chat/…
 * after a reload. Only GET/HEAD that accept HTML fall back: curl, fetch and API clients keep
 * the JSON 404 for unknown paths. Without a build (a test run that skipped it) it logs and
 * serves nothing; the api works as before.
 */
export function serveWebConsole(app: NestExpressApplication, dir = webConsoleDirectory()): void {
  const index = dir && join(dir, 'index.html');
  if (!dir || !index || !existsSync(index)) {
    new Logger('WebConsole').warn('apps/web is not built (npm run build:web): the console is not served at /');
    return;
  }
  app.useStaticAssets(join(dir, 'assets'), { prefix: '/assets/', immutable: true, maxAge: '365d', index: false, redirect: false });
  app.use((req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !asksForHtml(req) || isApiPath(req.path)) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index, { lastModified: true }, (error) => error && next(error));
  });
}

// Browsers name text/html when they navigate; the any-type Accept of curl and fetch does not count.
const asksForHtml = (req: Request) => (req.headers.accept ?? '').includes('text/html');

function isApiPath(path: string): boolean {
  return API_SEGMENTS.has(path.split('/')[1] ?? '') || path.startsWith('/assets/');
}
