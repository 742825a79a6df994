import type { NestExpressApplication } from '@nestjs/platform-express';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { createApiApp } from '../apps/api/src/create-api-app';
import { TestContext } from './support/test-context';

const WEB_DIR = join(__dirname, '..', 'dist', 'web');
const HTML = { Accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

/**
 * The api serves the console's build (dist/web, written by `npm run build`, which `npm test`
 * runs first) at /: cache rules, the SPA fallback that leaves every api path alone, and the CSP.
 */
describe('the staff console served by the api', () => {
  let ctx: TestContext;
  let app: NestExpressApplication;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    if (!existsSync(join(WEB_DIR, 'index.html'))) throw new Error('dist/web is missing: run `npm run build` (npm test does it) before this suite');
    ctx = await TestContext.create();
    app = await createApiApp(ctx.config());
    await app.init();
  });

  afterAll(async () => {
    await app?.close();
    await ctx?.dispose();
  });

  it('answers / and client-side routes with index.html, revalidated on every load, under a strict CSP', async () => {
    for (const path of ['/', '/chat', '/documents', '/chat/0b7f4a1e-1111-4222-8333-944455556666']) {
      const res = await http().get(path).set(HTML).expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.text).toContain('<div id="root"></div>');
      expect(res.headers['cache-control']).toBe('no-cache');
      const csp = res.headers['content-security-policy'];
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("style-src 'self'");
      expect(csp).toContain("connect-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('unsafe-eval');
      expect(csp).not.toContain('https:');
    }
  });

  it('serves hashed assets as immutable for a year, and a missing one as the JSON 404', async () => {
    const asset = readdirSync(join(WEB_DIR, 'assets')).find((name) => name.endsWith('.js'))!;
    const res = await http().get(`/assets/${asset}`).expect(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const missing = await http().get('/assets/index-00000000.js').expect(404);
    expect(missing.body.error.code).toBe('NOT_FOUND');
  });

  it('never shadows the api: its paths keep their own answers and the JSON 404 envelope, even for a browser', async () => {
    for (const path of ['/api/v1/nope', '/api', '/v1/nope', '/health/nope', '/metrics/nope', '/docs/nope', '/docs-json/nope']) {
      const res = await http().get(path).set(HTML).expect(404);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body.error.code).toBe('NOT_FOUND');
    }
    await http().get('/health/live').set(HTML).expect(200);
    expect((await http().get('/api/v1/auth/me').set(HTML).expect(401)).body.error.code).toBeDefined();
  });

  it('keeps the JSON 404 for clients that do not ask for HTML (curl, fetch) and for other methods', async () => {
    const curl = await http().get('/anything').set('Accept', '*/*').expect(404);
    expect(curl.body.error.code).toBe('NOT_FOUND');
    const post = await http().post('/chat').set(HTML).send({}).expect(404);
    expect(post.body.error.code).toBe('NOT_FOUND');
  });

  it('leaves /docs its own policy (Swagger UI needs its inline styles) and it still loads', async () => {
    const ui = await http().get('/docs').set(HTML).redirects(1).expect(200);
    expect(ui.text).toContain('swagger');
    expect(ui.headers['content-security-policy']).toContain("style-src 'self' https: 'unsafe-inline'");
    await http().get('/docs-json').expect(200);
  });
});
