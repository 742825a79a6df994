import { ConfigError, loadConfig } from '@showroom/core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_SECTIONS } from './support/config-sections';
import { coreEnvShape } from '../libs/core/src/config/env.schema';

/** `.env.example`'s variables by owner block (`# ===== <owner> (<file>) ===`). */
function readEnvExample(): Map<string, Record<string, string>> {
  const blocks = new Map<string, Record<string, string>>();
  let owner = '';
  for (const line of readFileSync(join(__dirname, '../.env.example'), 'utf8').split('\n')) {
    const header = /^# =====+ (\w+) \(/.exec(line);
    if (header) blocks.set((owner = header[1]), {});
    else if (/^[A-Z][A-Z0-9_]*=/.test(line)) blocks.get(owner)![line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
  }
  return blocks;
}

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env, CONFIG_SECTIONS);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('.env.example', () => {
  const blocks = readEnvExample();

  it('has one block per owner listing exactly the variables that owner declares', () => {
    const declared = new Map([['core', Object.keys(coreEnvShape)], ...CONFIG_SECTIONS.map((s) => [s.owner, Object.keys(s.env)] as [string, string[]])]);
    expect([...blocks.keys()]).toEqual([...declared.keys()]);
    for (const [owner, variables] of declared) expect({ owner, variables: Object.keys(blocks.get(owner)!).sort() }).toEqual({ owner, variables: variables.sort() });
  });

  it('shows the real defaults', () => {
    const example = Object.assign({}, ...blocks.values()) as Record<string, string>;
    expect(loadConfig(example, CONFIG_SECTIONS)).toEqual(loadConfig({}, CONFIG_SECTIONS));
  });
});

describe('domain config sections', () => {
  it('parses the LLM price table and rejects malformed ones', () => {
    expect(loadConfig({ LLM_PRICES: '{"m":{"input":1,"output":2}}' }, CONFIG_SECTIONS).llm.prices).toEqual({ m: { input: 1, output: 2 } });
    expect(loadConfig({}, CONFIG_SECTIONS).llm.prices['local-extractive']).toEqual({ input: 0, output: 0 });
    expect(problemsOf({ LLM_PRICES: 'cheap' })).toEqual(['LLM_PRICES: expected JSON']);
    expect(problemsOf({ LLM_PRICES: '{"m":{"input":-1,"output":2}}' })[0]).toMatch(/^LLM_PRICES/);
  });

  it('requires a key for hosted providers, and a JWT secret in production', () => {
    expect(problemsOf({ LLM_PROVIDER: 'openai' })).toEqual(['LLM_API_KEY: required (or OPENAI_API_KEY) when LLM_PROVIDER=openai']);
    expect(problemsOf({ VECTOR_STORE: 'pinecone' })).toEqual(['PINECONE_API_KEY: required when VECTOR_STORE=pinecone']);
    expect(problemsOf({ EMBEDDING_PROVIDER: 'openai' })).toEqual(['OPENAI_API_KEY: required when EMBEDDING_PROVIDER=openai']);
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual(['JWT_SECRET: required when NODE_ENV=production']);
  });

  it('requires keys for the hosted voice providers and parses the voice price table', () => {
    expect(problemsOf({ VOICE_STT_PROVIDER: 'openai' })).toEqual(['VOICE_OPENAI_API_KEY: required (or OPENAI_API_KEY) when VOICE_STT_PROVIDER=openai']);
    expect(problemsOf({ VOICE_TTS_PROVIDER: 'elevenlabs' })).toEqual(['ELEVENLABS_API_KEY: required when VOICE_TTS_PROVIDER=elevenlabs']);
    expect(problemsOf({ VOICE_TTS_PROVIDER: 'openai', OPENAI_API_KEY: 'sk-shared' })).toEqual([]);
    expect(loadConfig({ VOICE_PRICES: '{"openai":{"sttPerMinute":0.01}}' }, CONFIG_SECTIONS).voice.prices).toEqual({ openai: { sttPerMinute: 0.01 } });
    expect(problemsOf({ VOICE_PRICES: '{"openai":{"perMinute":1}}' })[0]).toMatch(/^VOICE_PRICES/);
    expect(loadConfig({}, CONFIG_SECTIONS).voice).toMatchObject({ sttProvider: 'local', ttsProvider: 'local', speechCacheMaxBytes: 64 * 1024 * 1024 });
  });

  it('names a bad domain variable without echoing its value', () => {
    const problems = problemsOf({ CHAT_MIN_RELEVANCE: 'very', UPLOAD_MAX_BYTES: '12', RATE_LIMIT_AUTH_PER_MINUTE: 'secret-value' });
    expect(problems.sort()).toEqual([
      'CHAT_MIN_RELEVANCE: expected a number',
      'RATE_LIMIT_AUTH_PER_MINUTE: expected a whole number',
      'UPLOAD_MAX_BYTES: expected at least 1024',
    ]);
    expect(problems.join(' ')).not.toContain('secret-value');
  });
});
