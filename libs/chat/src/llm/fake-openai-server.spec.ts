import OpenAI from 'openai';
import { FakeOpenAiServer } from '../../../../test/support/fake-openai-server';

/** The fake server other suites and benchmarks rely on, checked against the real SDK. */
describe('FakeOpenAiServer', () => {
  let fake: FakeOpenAiServer;
  let client: OpenAI;

  beforeAll(async () => {
    fake = await FakeOpenAiServer.start();
    client = new OpenAI({ apiKey: 'sk-test', baseURL: fake.baseUrl, maxRetries: 0 });
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  it('answers a non-streaming completion as JSON with usage', async () => {
    fake.reply({ text: 'Plain answer.', usage: { promptTokens: 11, completionTokens: 2 } });
    const completion = await client.chat.completions.create({ model: 'm-1', messages: [{ role: 'user', content: 'Hi' }] });
    expect(completion.choices[0].message.content).toBe('Plain answer.');
    expect(completion.choices[0].finish_reason).toBe('stop');
    expect(completion.usage).toMatchObject({ prompt_tokens: 11, completion_tokens: 2, total_tokens: 13 });
    expect(fake.requests[0]).toMatchObject({ method: 'POST', path: '/v1/chat/completions', aborted: false });
  });

  it('plays queued replies in order, then the default, and sends usage only when asked', async () => {
    fake.reply({ text: 'default' }).queue({ text: 'first' }).failNext(1, 418, { message: 'teapot' });
    const texts: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const stream = await client.chat.completions
        .create({ model: 'm-1', messages: [{ role: 'user', content: 'Hi' }], stream: true })
        .catch((error: { status?: number }) => error);
      if (!(Symbol.asyncIterator in stream)) {
        texts.push(`status ${stream.status}`);
        continue;
      }
      let text = '';
      for await (const chunk of stream) {
        expect(chunk.usage).toBeUndefined();
        text += chunk.choices[0]?.delta.content ?? '';
      }
      texts.push(text);
    }
    expect(texts).toEqual(['first', 'status 418', 'default']);
  });
});
