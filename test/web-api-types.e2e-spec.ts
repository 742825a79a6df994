import type { NestExpressApplication } from '@nestjs/platform-express';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import request from 'supertest';
import { createApiApp } from '../apps/api/src/create-api-app';
import { TestContext } from './support/test-context';

const SCHEMA_FILE = join(__dirname, '..', 'apps', 'web', 'src', 'api', 'schema.d.ts');
const HEADER = '// Generated from the api\'s OpenAPI document by `npm run web:api-types`; do not edit.\n// test/web-api-types.e2e-spec.ts fails when this file and the api disagree.\n\n';

/**
 * The console's API types (apps/web/src/api/schema.d.ts) come from the api's own OpenAPI
 * document, built here by createApiApp exactly as production builds it (no server to start).
 * A changed endpoint or body changes the document, this test fails, and `npm run
 * web:api-types` rewrites the file, after which the console's typecheck shows what to fix.
 */
describe("the console's API types", () => {
  let ctx: TestContext;
  let app: NestExpressApplication;

  beforeAll(async () => {
    ctx = await TestContext.create();
    app = await createApiApp(ctx.config({ DOCS_ENABLED: 'true' }));
    await app.init();
  });

  afterAll(async () => {
    await app?.close();
    await ctx?.dispose();
  });

  it('are generated from the current OpenAPI document', async () => {
    const document = (await request(app.getHttpServer()).get('/docs-json').expect(200)).body as Parameters<typeof openapiTS>[0];
    const generated = HEADER + astToString(await openapiTS(document, { alphabetize: true }));
    if (process.env.UPDATE_WEB_API_TYPES === '1') writeFileSync(SCHEMA_FILE, generated);
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(generated);
  });
});
