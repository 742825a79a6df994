import { Body, Controller, Get, Module, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { IsInt, IsString, MaxLength, Min } from 'class-validator';
import { Public } from '@showroom/auth';
import request from 'supertest';
import { createApiApp } from '../apps/api/src/create-api-app';
import { TestContext } from './support/test-context';

class GreetingDto {
  @IsString()
  @MaxLength(20)
  name: string;

  @IsInt()
  @Min(1)
  times: number;
}

/** Routes that exist only in this suite, to exercise the global HTTP behaviour. */
@Public()
@Controller('contract-probe')
class ContractProbeController {
  @Post()
  greet(@Body() dto: GreetingDto) {
    return { greeting: `hello ${dto.name}`.repeat(dto.times) };
  }

  @Get('items/:id')
  item(@Param('id', ParseUUIDPipe) id: string) {
    return { id };
  }

  @Get('explode')
  explode(): never {
    throw new Error('secret detail from /srv/internal/module.ts:42');
  }
}

@Module({ controllers: [ContractProbeController] })
class ContractProbeModule {}

describe('HTTP contract of the api', () => {
  let ctx: TestContext;
  let app: NestExpressApplication;

  beforeAll(async () => {
    ctx = await TestContext.create();
    app = await createApiApp(ctx.config({ HTTP_BODY_LIMIT_BYTES: '2048', CORS_ORIGINS: 'https://app.example.com' }), [
      ContractProbeModule,
    ]);
    await app.init();
  });

  afterAll(async () => {
    await app?.close();
    await ctx?.dispose();
  });

  const http = () => request(app.getHttpServer());

  it('answers an unknown route with a 404 envelope, inside the /api/v1 prefix or outside it', async () => {
    for (const path of ['/api/v1/no-such-thing', '/no-such-thing', '/v1/no-such-thing']) {
      const res = await http().get(path).expect(404).expect('content-type', /json/);
      expect(res.body).toEqual({
        error: { code: 'NOT_FOUND', message: expect.any(String), requestId: expect.any(String), details: [] },
      });
    }
  });

  it('answers malformed JSON with 400 MALFORMED_JSON', async () => {
    const res = await http().post('/api/v1/contract-probe').set('Content-Type', 'application/json').send('{"name": ').expect(400);
    expect(res.body.error.code).toBe('MALFORMED_JSON');
  });

  it('answers a body over the limit with 413', async () => {
    const res = await http()
      .post('/api/v1/contract-probe')
      .send({ name: 'x'.repeat(4096), times: 1 })
      .expect(413);
    expect(res.body.error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: expect.stringContaining('2048') });
  });

  it('answers invalid fields with 422 and lists each problem in details', async () => {
    const res = await http().post('/api/v1/contract-probe').send({ name: 42, times: 0 }).expect(422);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    const fields = res.body.error.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['name', 'times']));
  });

  it('rejects unknown fields instead of ignoring them', async () => {
    const res = await http().post('/api/v1/contract-probe').send({ name: 'Ann', times: 1, isAdmin: true }).expect(422);
    expect(res.body.error.details).toEqual([{ field: 'isAdmin', message: expect.stringContaining('should not exist') }]);
  });

  it('passes valid input through to the handler', async () => {
    const res = await http().post('/api/v1/contract-probe').send({ name: 'Ann', times: 2 }).expect(201);
    expect(res.body).toEqual({ greeting: 'hello Annhello Ann' });
  });

  it('answers a bad path parameter with a 4xx envelope, not a 500', async () => {
    const res = await http().get('/api/v1/contract-probe/items/not-a-uuid').expect(400);
    expect(res.body.error.code).toBe('BAD_REQUEST');
  });

  it('hides internal errors behind a 500 envelope without stack or detail', async () => {
    const res = await http().get('/api/v1/contract-probe/explode').expect(500);
    expect(res.body.error).toMatchObject({ code: 'INTERNAL_ERROR', details: [] });
    expect(JSON.stringify(res.body)).not.toMatch(/secret|\/srv\/|module\.ts|at /);
  });

  it('keeps a well-formed caller request id and returns it', async () => {
    const res = await http().get('/api/v1/no-such-thing').set('X-Request-Id', 'client-abc.123').expect(404);
    expect(res.headers['x-request-id']).toBe('client-abc.123');
    expect(res.body.error.requestId).toBe('client-abc.123');
  });

  it('replaces a hostile request id with a fresh UUID', async () => {
    const res = await http().get('/health/live').set('X-Request-Id', 'a b<script>').expect(200);
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends security headers (helmet) and no x-powered-by', async () => {
    const res = await http().get('/health/live').expect(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toBeDefined();
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('allows CORS only for configured origins', async () => {
    const allowed = await http().options('/api/v1/contract-probe').set('Origin', 'https://app.example.com').set('Access-Control-Request-Method', 'POST');
    expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example.com');
    const denied = await http().options('/api/v1/contract-probe').set('Origin', 'https://evil.example.net').set('Access-Control-Request-Method', 'POST');
    expect(denied.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('serves the OpenAPI document and UI', async () => {
    const json = await http().get('/docs-json').expect(200);
    expect(json.body.openapi).toMatch(/^3\./);
    expect(Object.keys(json.body.paths)).toContain('/api/v1/contract-probe');
    const ui = await http().get('/docs').expect(200);
    expect(ui.text).toContain('swagger');
  });

  it('records request duration by route template and status in /metrics', async () => {
    await http().get('/api/v1/contract-probe/items/7a0d8a55-2f7b-4c8e-9d43-1f0a4f7f3a10').expect(200);
    await http().get('/api/v1/random-scanner-path-1').expect(404);
    const metrics = await http().get('/metrics').expect(200);
    expect(metrics.text).toMatch(/http_request_duration_seconds_count\{[^}]*route="\/api\/v1\/contract-probe\/items\/:id"[^}]*status="200"/);
    expect(metrics.text).toMatch(/http_request_duration_seconds_count\{[^}]*route="unmatched"[^}]*status="404"/);
    expect(metrics.text).not.toContain('random-scanner-path');
    expect(metrics.text).toContain('process_cpu_seconds_total');
  });
});
