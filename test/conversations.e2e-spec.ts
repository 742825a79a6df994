import type { INestApplication } from '@nestjs/common';
import { AnswerTurns, AssistantSettingsService, ChatUser } from '@showroom/chat';
import request from 'supertest';
import { createApiApp } from '../apps/api/src/create-api-app';
import { DEFAULT_SYSTEM_PROMPT } from '../libs/chat/src/prompt/system-prompt';
import { Session, addUser, bearer, registerDealership } from './support/auth-helpers';
import { TestContext } from './support/test-context';

const MISSING_ID = '00000000-0000-4000-8000-000000000000';
const CITATION = { documentId: MISSING_ID, documentTitle: 'Warranty', chunkId: MISSING_ID, page: 2, snippet: 'five years or 60,000 miles' };

/**
 * Conversations, feedback, usage and assistant settings on the real api and Postgres. Answers
 * are written through AnswerTurns (the methods the answer pipeline calls), so the rows are
 * exactly the ones a real answer leaves behind.
 */
describe('conversations', () => {
  let ctx: TestContext;
  let api: INestApplication;
  let turns: AnswerTurns;
  let owner: Session;
  let admin: Session;
  let staff: Session;
  let otherStaff: Session;
  let stranger: Session;

  beforeAll(async () => {
    ctx = await TestContext.create();
    api = await createApiApp(
      ctx.config({
        RATE_LIMIT_USER_PER_MINUTE: '10000',
        RATE_LIMIT_USER_PER_SECOND: '1000',
        RATE_LIMIT_AUTH_PER_MINUTE: '1000',
        LLM_PRICES: '{"priced-model":{"input":2,"output":10}}',
      }),
    );
    await api.init();
    turns = api.get(AnswerTurns, { strict: false });
    owner = await registerDealership(api, 'Alpha Autos');
    admin = await addUser(api, owner, 'admin');
    staff = await addUser(api, owner, 'staff');
    otherStaff = await addUser(api, owner, 'staff');
    stranger = await registerDealership(api, 'Beta Cars');
  });

  afterAll(async () => {
    await api?.close();
    await ctx?.dispose();
  });

  const http = () => request(api.getHttpServer());
  const count = async (table: string) => (await ctx.db.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n as number;
  const chatUser = (s: Session): ChatUser => ({ kind: 'user', userId: s.user.id, dealershipId: s.dealership.id, role: s.user.role as ChatUser['role'] });
  const tenantOf = (s: Session) => ({ dealershipId: s.dealership.id });
  const newConversation = async (s: Session, title?: string) =>
    (await http().post('/api/v1/conversations').set(bearer(s.accessToken)).send(title ? { title } : {}).expect(201)).body as { id: string; title: string | null };

  /** A question and a finished answer, the way the pipeline writes them. */
  const exchange = async (s: Session, conversationId: string, question: string, usage = { model: 'priced-model', inputTokens: 100, outputTokens: 50 }) => {
    const { userMessage, assistantMessage: started } = await turns.begin(chatUser(s), tenantOf(s), conversationId, question);
    const assistantMessage = await turns.finish(tenantOf(s), started.id, {
      content: `Answer to: ${question} [1]`,
      citations: [CITATION],
      status: 'complete',
      ...usage,
      firstTokenMs: 120,
      latencyMs: 900,
    });
    return { userMessage, assistantMessage: assistantMessage! };
  };

  it('creates, shows with messages oldest first, lists, and deletes a conversation', async () => {
    const created = await http().post('/api/v1/conversations').set(bearer(staff.accessToken)).send({ title: 'Trade-in questions' }).expect(201);
    expect(created.body).toEqual({ id: expect.any(String), title: 'Trade-in questions', createdAt: expect.any(String) });
    const { userMessage, assistantMessage } = await exchange(staff, created.body.id, 'What is the powertrain warranty?');

    const shown = await http().get(`/api/v1/conversations/${created.body.id}`).set(bearer(staff.accessToken)).expect(200);
    expect(shown.body).toMatchObject({ id: created.body.id, title: 'Trade-in questions', userId: staff.user.id });
    expect(shown.body.messages).toEqual([
      { id: userMessage.id, role: 'user', content: 'What is the powertrain warranty?', citations: [], status: 'complete', createdAt: expect.any(String) },
      { id: assistantMessage.id, role: 'assistant', content: 'Answer to: What is the powertrain warranty? [1]', citations: [CITATION], status: 'complete', createdAt: expect.any(String) },
    ]);
    expect(Date.parse(shown.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(created.body.createdAt));
    const stored = (await ctx.db.query('SELECT model, input_tokens, output_tokens, first_token_ms, latency_ms FROM messages WHERE id = $1', [assistantMessage.id])).rows[0];
    expect(stored).toEqual({ model: 'priced-model', input_tokens: 100, output_tokens: 50, first_token_ms: 120, latency_ms: 900 });

    const listed = await http().get('/api/v1/conversations').set(bearer(staff.accessToken)).expect(200);
    expect(listed.body.items.map((c: { id: string }) => c.id)).toContain(created.body.id);

    await http().delete(`/api/v1/conversations/${created.body.id}`).set(bearer(staff.accessToken)).expect(204);
    const gone = await http().get(`/api/v1/conversations/${created.body.id}`).set(bearer(staff.accessToken)).expect(404);
    expect(gone.body.error.code).toBe('CONVERSATION_NOT_FOUND');
    expect((await ctx.db.query('SELECT count(*)::int AS n FROM messages WHERE conversation_id = $1', [created.body.id])).rows[0].n).toBe(0);
  });

  it('titles an untitled conversation from its first question, cut to about 80 characters, and keeps it', async () => {
    const conversation = await newConversation(staff);
    expect(conversation.title).toBeNull();
    const question = `Can you compare the financing offers for the new hybrid SUV against the lease deals from last month, please?`;
    await exchange(staff, conversation.id, question);
    await exchange(staff, conversation.id, 'And the electric one?');
    const shown = await http().get(`/api/v1/conversations/${conversation.id}`).set(bearer(staff.accessToken)).expect(200);
    expect(shown.body.title.length).toBeLessThanOrEqual(80);
    expect(question.startsWith(shown.body.title.replace(/…$/, ''))).toBe(true);
    expect(shown.body.messages.map((m: { role: string }) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
  });

  it('gives the answer pipeline the recent complete history, oldest first, and finishes an answer only once', async () => {
    const conversation = await newConversation(staff);
    await exchange(staff, conversation.id, 'First question');
    const { assistantMessage: failed } = await turns.begin(chatUser(staff), tenantOf(staff), conversation.id, 'Second question');
    await turns.finish(tenantOf(staff), failed.id, {
      content: '', citations: [], status: 'failed', error: { code: 'LLM_TIMEOUT', message: 'too slow' }, model: null, inputTokens: 0, outputTokens: 0, firstTokenMs: null, latencyMs: 30_000,
    });
    const context = await turns.findForAnswer(chatUser(staff), tenantOf(staff), conversation.id);
    expect(context.conversation.id).toBe(conversation.id);
    expect(context.history.map((m) => [m.role, m.content])).toEqual([
      ['user', 'First question'],
      ['assistant', 'Answer to: First question [1]'],
      ['user', 'Second question'],
    ]);
    const again = await turns.finish(tenantOf(staff), failed.id, {
      content: 'late', citations: [], status: 'complete', model: 'priced-model', inputTokens: 1, outputTokens: 1, firstTokenMs: 1, latencyMs: 1,
    });
    expect(again).toMatchObject({ id: failed.id, status: 'failed', content: '' });
    const row = (await ctx.db.query('SELECT status, error FROM messages WHERE id = $1', [failed.id])).rows[0];
    expect(row).toEqual({ status: 'failed', error: { code: 'LLM_TIMEOUT', message: 'too slow' } });
  });

  it('pages the conversation list newest first with an opaque cursor', async () => {
    const pager = await addUser(api, owner, 'staff');
    const made: string[] = [];
    for (let i = 0; i < 5; i += 1) made.push((await newConversation(pager, `Chat ${i}`)).id);
    const seen: { id: string; createdAt: string }[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: request.Response = await http()
        .get(`/api/v1/conversations?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
        .set(bearer(pager.accessToken))
        .expect(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items);
      cursor = page.body.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(new Set(seen.map((c) => c.id))).toEqual(new Set(made));
    // Newest first; two created in the same millisecond are ordered by id, as the cursor is.
    const newestFirst = [...seen].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || (a.id < b.id ? 1 : -1));
    expect(seen).toEqual(newestFirst);
  });

  describe('who sees what', () => {
    let staffConversation: string;
    let staffAnswer: string;

    beforeAll(async () => {
      staffConversation = (await newConversation(staff, 'Staff only')).id;
      staffAnswer = (await exchange(staff, staffConversation, 'Price of the winter package?')).assistantMessage.id;
    });

    it('hides a colleague\'s conversation from other staff on every endpoint (404)', async () => {
      await http().get(`/api/v1/conversations/${staffConversation}`).set(bearer(otherStaff.accessToken)).expect(404);
      await http().delete(`/api/v1/conversations/${staffConversation}`).set(bearer(otherStaff.accessToken)).expect(404);
      await http().post(`/api/v1/messages/${staffAnswer}/feedback`).set(bearer(otherStaff.accessToken)).send({ rating: 'down' }).expect(404);
      const listed = await http().get('/api/v1/conversations').set(bearer(otherStaff.accessToken)).expect(200);
      expect(listed.body.items.map((c: { id: string }) => c.id)).not.toContain(staffConversation);
      await expect(turns.findForAnswer(chatUser(otherStaff), tenantOf(otherStaff), staffConversation)).rejects.toMatchObject({ code: 'CONVERSATION_NOT_FOUND' });
      await expect(turns.begin(chatUser(otherStaff), tenantOf(otherStaff), staffConversation, 'hi')).rejects.toMatchObject({ code: 'CONVERSATION_NOT_FOUND' });
      expect((await ctx.db.query('SELECT count(*)::int AS n FROM conversations WHERE id = $1', [staffConversation])).rows[0].n).toBe(1);
    });

    it('refuses ?scope=dealership to staff (403)', async () => {
      const res = await http().get('/api/v1/conversations?scope=dealership').set(bearer(staff.accessToken)).expect(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
    });

    it('lets owners and admins read every conversation of their dealership; their list is their own unless asked', async () => {
      for (const boss of [owner, admin]) {
        const shown = await http().get(`/api/v1/conversations/${staffConversation}`).set(bearer(boss.accessToken)).expect(200);
        expect(shown.body.messages).toHaveLength(2);
        const own = await http().get('/api/v1/conversations').set(bearer(boss.accessToken)).expect(200);
        expect(own.body.items.map((c: { id: string }) => c.id)).not.toContain(staffConversation);
        const all = await http().get('/api/v1/conversations?scope=dealership&limit=100').set(bearer(boss.accessToken)).expect(200);
        expect(all.body.items.map((c: { id: string }) => c.id)).toContain(staffConversation);
      }
      await http().post(`/api/v1/messages/${staffAnswer}/feedback`).set(bearer(admin.accessToken)).send({ rating: 'up' }).expect(200);
    });

    it('answers another dealership\'s ids with 404 on every endpoint, even for its owner, and changes nothing', async () => {
      await http().get(`/api/v1/conversations/${staffConversation}`).set(bearer(stranger.accessToken)).expect(404);
      await http().delete(`/api/v1/conversations/${staffConversation}`).set(bearer(stranger.accessToken)).expect(404);
      const feedback = await http().post(`/api/v1/messages/${staffAnswer}/feedback`).set(bearer(stranger.accessToken)).send({ rating: 'down' }).expect(404);
      expect(feedback.body.error.code).toBe('MESSAGE_NOT_FOUND');
      const theirs = await http().get('/api/v1/conversations?scope=dealership').set(bearer(stranger.accessToken)).expect(200);
      expect(theirs.body.items.map((c: { id: string }) => c.id)).not.toContain(staffConversation);
      await expect(turns.findForAnswer(chatUser(stranger), tenantOf(stranger), staffConversation)).rejects.toMatchObject({ code: 'CONVERSATION_NOT_FOUND' });
      await expect(turns.begin(chatUser(stranger), tenantOf(stranger), staffConversation, 'hi')).rejects.toMatchObject({ code: 'CONVERSATION_NOT_FOUND' });
      expect((await ctx.db.query('SELECT count(*)::int AS n FROM conversations WHERE id = $1', [staffConversation])).rows[0].n).toBe(1);
      expect((await ctx.db.query('SELECT count(*)::int AS n FROM message_feedback WHERE message_id = $1 AND user_id = $2', [staffAnswer, stranger.user.id])).rows[0].n).toBe(0);
    });

    it('answers unknown and malformed ids like documents do (404, 400)', async () => {
      await http().get(`/api/v1/conversations/${MISSING_ID}`).set(bearer(staff.accessToken)).expect(404);
      await http().post(`/api/v1/messages/${MISSING_ID}/feedback`).set(bearer(staff.accessToken)).send({ rating: 'up' }).expect(404);
      await http().get('/api/v1/conversations/not-a-uuid').set(bearer(staff.accessToken)).expect(400);
      await http().delete('/api/v1/conversations/not-a-uuid').set(bearer(staff.accessToken)).expect(400);
      await http().post('/api/v1/messages/not-a-uuid/feedback').set(bearer(staff.accessToken)).send({ rating: 'up' }).expect(400);
    });

    it('refuses API keys on conversations and feedback (403): integrations use the OpenAI-compatible endpoint', async () => {
      const key = (await http().post('/api/v1/api-keys').set(bearer(owner.accessToken)).send({ name: 'crm' }).expect(201)).body.key as string;
      await http().get('/api/v1/conversations').set(bearer(key)).expect(403);
      await http().post('/api/v1/conversations').set(bearer(key)).send({}).expect(403);
      await http().get(`/api/v1/conversations/${staffConversation}`).set(bearer(key)).expect(403);
      await http().post(`/api/v1/messages/${staffAnswer}/feedback`).set(bearer(key)).send({ rating: 'up' }).expect(403);
    });
  });

  describe('feedback', () => {
    let conversation: string;
    let question: string;
    let answer: string;

    beforeAll(async () => {
      conversation = (await newConversation(staff)).id;
      const turn = await exchange(staff, conversation, 'Do you take trade-ins?');
      question = turn.userMessage.id;
      answer = turn.assistantMessage.id;
    });

    const rows = async () => (await ctx.db.query('SELECT rating, comment FROM message_feedback WHERE message_id = $1 AND user_id = $2', [answer, staff.user.id])).rows;

    it('keeps one opinion per user per message and lets it change', async () => {
      const up = await http().post(`/api/v1/messages/${answer}/feedback`).set(bearer(staff.accessToken)).send({ rating: 'up', comment: 'Spot on' }).expect(200);
      expect(up.body).toEqual({ id: expect.any(String), messageId: answer, rating: 'up', comment: 'Spot on', createdAt: expect.any(String), updatedAt: expect.any(String) });
      const down = await http().post(`/api/v1/messages/${answer}/feedback`).set(bearer(staff.accessToken)).send({ rating: 'down', comment: 'Wrong price' }).expect(200);
      expect(down.body).toMatchObject({ id: up.body.id, rating: 'down', comment: 'Wrong price' });
      expect(await rows()).toEqual([{ rating: 'down', comment: 'Wrong price' }]);
      await http().post(`/api/v1/messages/${answer}/feedback`).set(bearer(staff.accessToken)).send({ rating: 'down' }).expect(200);
      expect(await rows()).toEqual([{ rating: 'down', comment: null }]);
    });

    it('rejects bad feedback with 422 (or 409 for an answer still streaming) and writes nothing', async () => {
      const before = await count('message_feedback');
      const bad = [{ rating: 'meh' }, {}, { rating: 'up', comment: 'x'.repeat(2001) }, { rating: 'up', comment: 42 }, { rating: 'up', stars: 5 }];
      for (const body of bad) {
        const res = await http().post(`/api/v1/messages/${answer}/feedback`).set(bearer(staff.accessToken)).send(body).expect(422);
        expect(res.body.error.code).toBe('VALIDATION_FAILED');
        expect(res.body.error.details.length).toBeGreaterThan(0);
      }
      const onQuestion = await http().post(`/api/v1/messages/${question}/feedback`).set(bearer(staff.accessToken)).send({ rating: 'up' }).expect(422);
      expect(onQuestion.body.error.code).toBe('NOT_AN_ANSWER');
      const { assistantMessage: streaming } = await turns.begin(chatUser(staff), tenantOf(staff), conversation, 'Still there?');
      const busy = await http().post(`/api/v1/messages/${streaming.id}/feedback`).set(bearer(staff.accessToken)).send({ rating: 'up' }).expect(409);
      expect(busy.body.error.code).toBe('ANSWER_IN_PROGRESS');
      expect(await count('message_feedback')).toBe(before);
    });

    it('goes away with its conversation', async () => {
      await http().delete(`/api/v1/conversations/${conversation}`).set(bearer(staff.accessToken)).expect(204);
      expect(await rows()).toEqual([]);
    });
  });

  describe('conversation input', () => {
    it('rejects bad input with 4xx and writes nothing', async () => {
      const before = await count('conversations');
      await http().post('/api/v1/conversations').set(bearer(staff.accessToken)).send({ title: 'x'.repeat(201) }).expect(422);
      await http().post('/api/v1/conversations').set(bearer(staff.accessToken)).send({ title: 7 }).expect(422);
      await http().post('/api/v1/conversations').set(bearer(staff.accessToken)).send({ userId: owner.user.id }).expect(422);
      await http().get('/api/v1/conversations?scope=everyone').set(bearer(staff.accessToken)).expect(422);
      await http().get('/api/v1/conversations?cursor=garbage').set(bearer(staff.accessToken)).expect(400);
      expect(await count('conversations')).toBe(before);
      const conversation = await newConversation(staff);
      const messagesBefore = await count('messages');
      await expect(turns.begin(chatUser(staff), tenantOf(staff), conversation.id, '   ')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
      await expect(turns.begin(chatUser(staff), tenantOf(staff), conversation.id, 'x'.repeat(8001))).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
      expect(await count('messages')).toBe(messagesBefore);
    });

    it('needs credentials', async () => {
      await http().get('/api/v1/conversations').expect(401);
      await http().post('/api/v1/conversations').send({}).expect(401);
    });
  });

  describe('usage', () => {
    let shop: Session;
    let shopStaff: Session;

    beforeAll(async () => {
      shop = await registerDealership(api, 'Usage Motors');
      shopStaff = await addUser(api, shop, 'staff');
      const conversation = await newConversation(shopStaff);
      await exchange(shopStaff, conversation.id, 'one', { model: 'priced-model', inputTokens: 1000, outputTokens: 500 });
      await exchange(shopStaff, conversation.id, 'two', { model: 'priced-model', inputTokens: 3000, outputTokens: 1500 });
      await exchange(shopStaff, conversation.id, 'three', { model: 'mystery-model', inputTokens: 10, outputTokens: 20 });
      // An answer cut off by the client still cost what the model already did.
      const { assistantMessage: interrupted } = await turns.begin(chatUser(shopStaff), tenantOf(shopStaff), conversation.id, 'four');
      await turns.finish(tenantOf(shopStaff), interrupted.id, {
        content: 'Half an ans', citations: [], status: 'interrupted', model: 'priced-model', inputTokens: 1000, outputTokens: 0, firstTokenMs: 50, latencyMs: 80,
      });
    });

    it('sums requests and tokens per day and model, with estimated cost and totals', async () => {
      const today = new Date().toISOString().slice(0, 10);
      const res = await http().get('/api/v1/usage').set(bearer(shop.accessToken)).expect(200);
      expect(res.body.to).toBe(today);
      expect(Date.parse(res.body.to) - Date.parse(res.body.from)).toBe(29 * 86_400_000);
      expect(res.body.items).toEqual([
        { day: today, model: 'mystery-model', requests: 1, inputTokens: 10, outputTokens: 20, estimatedCostUsd: null },
        // (5000 × $2 + 2000 × $10) per million tokens
        { day: today, model: 'priced-model', requests: 3, inputTokens: 5000, outputTokens: 2000, estimatedCostUsd: 0.03 },
      ]);
      expect(res.body.totals).toEqual({ requests: 4, inputTokens: 5010, outputTokens: 2020, estimatedCostUsd: 0.03, unpricedModels: ['mystery-model'] });
    });

    it('counts one dealership only, and nothing outside the range', async () => {
      const mine = await http().get('/api/v1/usage').set(bearer(stranger.accessToken)).expect(200);
      expect(mine.body.items.map((i: { model: string }) => i.model)).not.toContain('mystery-model');
      const past = await http().get('/api/v1/usage?from=2020-01-01&to=2020-01-31').set(bearer(shop.accessToken)).expect(200);
      expect(past.body).toMatchObject({ from: '2020-01-01', to: '2020-01-31', items: [], totals: { requests: 0, estimatedCostUsd: 0 } });
    });

    it('refuses bad dates with 422 and staff with 403', async () => {
      for (const query of ['from=2025-02-30', 'to=yesterday', 'from=2025-03-02&to=2025-03-01', 'from=2020-01-01&to=2025-01-01', 'from=20250101']) {
        const res = await http().get(`/api/v1/usage?${query}`).set(bearer(shop.accessToken)).expect(422);
        expect(res.body.error.code).toBe('VALIDATION_FAILED');
      }
      await http().get('/api/v1/usage').set(bearer(shopStaff.accessToken)).expect(403);
    });
  });

  it('counts an answer\'s usage once: not again when it is finished twice, and once when its conversation was deleted mid-answer', async () => {
    const shop = await registerDealership(api, 'Counted Once Motors');
    const [kept, deleted] = [await newConversation(shop), await newConversation(shop)];
    const outcome = (inputTokens: number) => ({
      content: 'Five years.', citations: [], status: 'complete' as const, model: 'priced-model', inputTokens, outputTokens: 1, firstTokenMs: 5, latencyMs: 9,
    });
    const { assistantMessage: twice } = await turns.begin(chatUser(shop), tenantOf(shop), kept.id, 'finished twice');
    await turns.finish(tenantOf(shop), twice.id, outcome(10));
    await turns.finish(tenantOf(shop), twice.id, outcome(100));
    const { assistantMessage: orphan } = await turns.begin(chatUser(shop), tenantOf(shop), deleted.id, 'deleted mid-answer');
    await http().delete(`/api/v1/conversations/${deleted.id}`).set(bearer(shop.accessToken)).expect(204);
    await expect(turns.finish(tenantOf(shop), orphan.id, outcome(1000))).resolves.toBeNull();
    const usage = (await ctx.db.query('SELECT requests, input_tokens::int FROM llm_usage_daily WHERE dealership_id = $1', [shop.dealership.id])).rows;
    expect(usage).toEqual([{ requests: 2, input_tokens: 1010 }]);
  });

  describe('assistant settings', () => {
    let shop: Session;
    let settings: AssistantSettingsService;

    beforeAll(async () => {
      shop = await registerDealership(api, 'Prompt Motors');
      settings = api.get(AssistantSettingsService, { strict: false });
    });

    it('shows the default prompt until the dealership sets its own, and null goes back to it', async () => {
      const initial = await http().get('/api/v1/assistant-settings').set(bearer(shop.accessToken)).expect(200);
      // The very text the prompt builder falls back to.
      expect(initial.body).toEqual({ systemPrompt: DEFAULT_SYSTEM_PROMPT, isDefault: true, updatedAt: null });
      expect(await settings.systemPromptFor(shop.dealership.id)).toBeNull();

      const set = await http().put('/api/v1/assistant-settings').set(bearer(shop.accessToken)).send({ systemPrompt: 'Always mention our free coffee.' }).expect(200);
      expect(set.body).toEqual({ systemPrompt: 'Always mention our free coffee.', isDefault: false, updatedAt: expect.any(String) });
      expect((await http().get('/api/v1/assistant-settings').set(bearer(shop.accessToken)).expect(200)).body.systemPrompt).toBe('Always mention our free coffee.');
      expect(await settings.systemPromptFor(shop.dealership.id)).toBe('Always mention our free coffee.');
      // Another dealership is untouched.
      expect(await settings.systemPromptFor(owner.dealership.id)).toBeNull();

      const reset = await http().put('/api/v1/assistant-settings').set(bearer(shop.accessToken)).send({ systemPrompt: null }).expect(200);
      expect(reset.body).toEqual(initial.body);
      expect(await settings.systemPromptFor(shop.dealership.id)).toBeNull();
    });

    it('is for owners and admins only (403 for staff)', async () => {
      const shopStaff = await addUser(api, shop, 'staff');
      await http().get('/api/v1/assistant-settings').set(bearer(shopStaff.accessToken)).expect(403);
      await http().put('/api/v1/assistant-settings').set(bearer(shopStaff.accessToken)).send({ systemPrompt: 'Be rude.' }).expect(403);
      expect(await settings.systemPromptFor(shop.dealership.id)).toBeNull();
      const shopAdmin = await addUser(api, shop, 'admin');
      await http().get('/api/v1/assistant-settings').set(bearer(shopAdmin.accessToken)).expect(200);
    });

    it('rejects a bad prompt with 422 and keeps the old one', async () => {
      await http().put('/api/v1/assistant-settings').set(bearer(shop.accessToken)).send({ systemPrompt: 'Keep me.' }).expect(200);
      for (const body of [{ systemPrompt: 'x'.repeat(4001) }, { systemPrompt: '   ' }, {}, { systemPrompt: 3 }, { systemPrompt: 'ok', extra: true }]) {
        const res = await http().put('/api/v1/assistant-settings').set(bearer(shop.accessToken)).send(body).expect(422);
        expect(res.body.error.code).toBe('VALIDATION_FAILED');
      }
      expect(await settings.systemPromptFor(shop.dealership.id)).toBe('Keep me.');
    });
  });
});
