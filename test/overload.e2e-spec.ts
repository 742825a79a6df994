import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource, QueryRunner } from 'typeorm';
import { createApiApp } from '../apps/api/src/create-api-app';
import { Session, bearer, registerDealership } from './support/auth-helpers';
import { FakeOpenAiServer, fakeLlmEnv } from './support/fake-openai-server';
import { TestContext } from './support/test-context';
import { waitFor } from './support/wait-for';
import { seedOneChunkDocument } from './support/seed-knowledge';

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

  describe('answers in flight', () => {
    let fake: FakeOpenAiServer;
    let chatApi: INestApplication;
    let owner: Session;

    beforeAll(async () => {
      fake = await FakeOpenAiServer.start();
      const config = ctx.config({
        CHAT_MAX_ANSWERS_IN_FLIGHT: '1',
        ...fakeLlmEnv(fake),
        CHAT_MIN_RELEVANCE: '0',
        RATE_LIMIT_USER_PER_SECOND: '1000',
      });
      chatApi = await createApiApp(config);
      await chatApi.init();
      owner = await registerDealership(chatApi, 'Busy Motors');
      await seedOneChunkDocument(ctx, owner);
    });

    afterAll(async () => {
      await chatApi?.close();
      await fake?.close();
    });

    it('refuses an answer beyond CHAT_MAX_ANSWERS_IN_FLIGHT at once with 503 SERVICE_BUSY, and admits again after', async () => {
      fake.reply({ text: 'Five years [1].', firstTokenDelayMs: 1_500 });
      const http = () => request(chatApi.getHttpServer());
      const conversation = (await http().post('/api/v1/conversations').set(bearer(owner.accessToken)).send({}).expect(201)).body.id;
      const ask = () => http().post(`/api/v1/conversations/${conversation}/messages`).set(bearer(owner.accessToken)).send({ content: 'powertrain warranty' });
      const slow = ask().then((res) => res); // supertest sends on then()
      await waitFor('the first answer to reach the model', async () => fake.requests.length === 1);
      const refused = await ask().expect(503);
      expect(refused.body.error.code).toBe('SERVICE_BUSY');
      expect(refused.headers['retry-after']).toBe('1');
      expect((await slow).status).toBe(201);
      fake.reply({ text: 'Five years [1].' });
      await ask().expect(201);
    });
  });
});
