import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource, QueryRunner } from 'typeorm';
import { createApiApp } from '../apps/api/src/create-api-app';
import { TestContext } from './support/test-context';

/** An exhausted database pool is overload, not a bug: 503 SERVICE_BUSY with Retry-After, no 500. */
describe('overload', () => {
  let ctx: TestContext;
  let api: INestApplication;
  let holder: QueryRunner;

  beforeAll(async () => {
    ctx = await TestContext.create();
    api = await createApiApp(ctx.config({ DATABASE_POOL_SIZE: '1', DATABASE_ACQUIRE_TIMEOUT_MS: '200' }));
    await api.init();
  });

  afterAll(async () => {
    if (holder && !holder.isReleased) await holder.release();
    await api?.close();
    await ctx?.dispose();
  });

  it('answers 503 SERVICE_BUSY with Retry-After while every pooled connection is taken', async () => {
    holder = api.get(DataSource).createQueryRunner();
    await holder.connect();
    await holder.startTransaction(); // the only connection is now busy
    const res = await request(api.getHttpServer())
      .post('/api/v1/auth/login')
      .send({ email: 'someone@example.com', password: 'correct horse battery staple' })
      .expect(503);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.body.error).toMatchObject({ code: 'SERVICE_BUSY' });
    await holder.rollbackTransaction();
    await holder.release();
    await request(api.getHttpServer()).post('/api/v1/auth/login').send({ email: 'someone@example.com', password: 'correct horse battery staple' }).expect(401);
  });
});
