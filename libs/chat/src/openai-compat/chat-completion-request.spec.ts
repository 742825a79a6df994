import { parseChatCompletionRequest } from './chat-completion-request';
import { OpenAiApiError, toOpenAiError } from './openai-errors';
import { AppException } from '@showroom/core';

const limits = { questionMaxChars: 50, instructionsMaxChars: 40 };
const parse = (body: unknown) => parseChatCompletionRequest(body, limits);

function rejection(body: unknown): OpenAiApiError {
  try {
    parse(body);
  } catch (error) {
    return error as OpenAiApiError;
  }
  throw new Error('expected a rejection');
}

describe('parseChatCompletionRequest', () => {
  it('takes the last user message as the question, earlier turns as history and system messages as client instructions', () => {
    const parsed = parse({
      model: 'showroom-assistant',
      temperature: 0.2, // accepted and ignored
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello!' },
        { role: 'tool', content: 'ignored' },
        { role: 'developer', content: [{ type: 'text', text: 'Use miles.' }] },
        { role: 'user', content: [{ type: 'text', text: 'How long is' }, { type: 'text', text: 'the warranty?' }] },
      ],
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(parsed).toEqual({
      model: 'showroom-assistant',
      stream: true,
      includeUsage: true,
      question: 'How long is\nthe warranty?',
      history: [
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello!' },
      ],
      clientInstructions: 'Be brief.\n\nUse miles.',
    });
  });

  it('defaults to a non-streaming answer without usage chunks and without client instructions', () => {
    expect(parse({ model: 'm', messages: [{ role: 'user', content: 'Hi' }] })).toMatchObject({ stream: false, includeUsage: false, clientInstructions: null, history: [] });
  });

  it.each([
    ['no messages', { model: 'm', messages: [] }, 'messages', null],
    ['no model', { messages: [{ role: 'user', content: 'Hi' }] }, 'model', null],
    ['an unknown role', { model: 'm', messages: [{ role: 'wizard', content: 'Hi' }] }, 'messages[0].role', null],
    ['no user message', { model: 'm', messages: [{ role: 'system', content: 'Hi' }] }, 'messages', null],
    ['an assistant turn after the question', { model: 'm', messages: [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Yo' }] }, 'messages', null],
    ['an empty question', { model: 'm', messages: [{ role: 'user', content: '  ' }] }, 'messages[0].content', null],
    ['a question over the limit', { model: 'm', messages: [{ role: 'user', content: 'x'.repeat(51) }] }, 'messages[0].content', 'string_above_max_length'],
    ['system text over the limit', { model: 'm', messages: [{ role: 'system', content: 'x'.repeat(41) }, { role: 'user', content: 'Hi' }] }, 'messages', 'string_above_max_length'],
    ['an image part', { model: 'm', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'x' } }] }] }, 'messages[0].content[0]', null],
    ['n above 1', { model: 'm', n: 2, messages: [{ role: 'user', content: 'Hi' }] }, 'n', null],
    ['a body that is not an object', 'hello', null, null],
  ])('refuses %s with an OpenAI 400 naming the parameter', (_, body, param, code) => {
    const error = rejection(body);
    expect(error).toBeInstanceOf(OpenAiApiError);
    expect(toOpenAiError(error)).toEqual({ status: 400, unexpected: false, body: { error: { message: expect.any(String), type: 'invalid_request_error', param, code } } });
  });
});

describe('toOpenAiError', () => {
  it.each([
    [new AppException(401, 'UNAUTHORIZED', 'no'), 401, 'invalid_request_error', 'invalid_api_key'],
    [new AppException(422, 'VALIDATION_FAILED', 'bad'), 400, 'invalid_request_error', null],
    [new AppException(429, 'RATE_LIMITED', 'slow down'), 429, 'requests', 'rate_limit_exceeded'],
    [new AppException(503, 'PROVIDER_UNAVAILABLE', 'down'), 503, 'server_error', 'provider_unavailable'],
    [new AppException(504, 'LLM_TIMEOUT', 'slow'), 504, 'server_error', 'llm_timeout'],
    [Object.assign(new Error('bad json'), { type: 'entity.parse.failed', status: 400 }), 400, 'invalid_request_error', 'malformed_json'],
    [new Error('boom'), 500, 'server_error', 'internal_error'],
  ])('maps %p to OpenAI status %p, type %p, code %p', (error, status, type, code) => {
    const translated = toOpenAiError(error);
    expect(translated.status).toBe(status);
    expect(translated.body.error).toMatchObject({ type, code });
  });

  it('hides the message of an unexpected error and flags it for the log', () => {
    const translated = toOpenAiError(new Error('password=hunter2'));
    expect(translated.unexpected).toBe(true);
    expect(translated.body.error.message).not.toContain('hunter2');
  });
});
