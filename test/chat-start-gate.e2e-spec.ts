import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createApiApp } from '../apps/api/src/create-api-app';
import { Session, bearer, registerDealership } from './support/auth-helpers';
import { FakeOpenAiServer, fakeLlmEnv } from './support/fake-openai-server';
import { TestContext } from './support/test-context';
import { waitFor } from './support/wait-for';
import { seedOneChunkDocument } from './support/seed-knowledge';

/**
 * Answers beyond CHAT_MAX_ANSWERS_STARTING wait their turn instead of being refused, and an
 * answer's turn ends when the model is asked, not when it answers: a slow model never holds
 * the next answer back.
 */
describe('answers starting first come, first served', () => {
  // Long, so a loaded CI machine still starts all three well before a first token could free a slot.
  const FIRST_TOKEN_MS = 10_000;
  let ctx: TestContext;
  let fake: FakeOpenAiServer;
  let api: INestApplication;
  let owner: Session;

  beforeAll(async () => {
    ctx = await TestContext.create();
    fake = await FakeOpenAiServer.start();
    api = await createApiApp(
      ctx.config({ CHAT_MAX_ANSWERS_STARTING: '1', CHAT_MAX_ANSWERS_IN_FLIGHT: '10', ...fakeLlmEnv(fake), CHAT_MIN_RELEVANCE: '0', RATE_LIMIT_USER_PER_SECOND: '1000' }),
    );
    await api.init();
    owner = await registerDealership(api, 'Queued Motors');
    await seedOneChunkDocument(ctx, owner);
  });

  afterAll(async () => {
    await api?.close();
    await fake?.close();
    await ctx?.dispose();
  });

  it('starts three answers one at a time, each as soon as the one before has asked the model, and completes all three', async () => {
    fake.reply({ text: 'Five years [1].', firstTokenDelayMs: FIRST_TOKEN_MS });
    const http = () => request(api.getHttpServer());
    const conversations = await Promise.all(
      [1, 2, 3].map(async () => (await http().post('/api/v1/conversations').set(bearer(owner.accessToken)).send({}).expect(201)).body.id as string),
    );
    const asked = Date.now();
    const answers = conversations.map((id) =>
      http().post(`/api/v1/conversations/${id}/messages`).set(bearer(owner.accessToken)).send({ content: 'powertrain warranty' }).then((res) => res),
    );
    // Held until the first token, the second answer would reach the model FIRST_TOKEN_MS after the first.
    await waitFor('all three answers to reach the model', () => fake.requests.length === 3, FIRST_TOKEN_MS - 1_000);
    expect(Date.now() - asked).toBeLessThan(FIRST_TOKEN_MS);
    for (const res of await Promise.all(answers)) {
      expect(res.status).toBe(201);
      expect(res.body.assistantMessage).toMatchObject({ status: 'complete', content: 'Five years [1].' });
    }
  });
});
