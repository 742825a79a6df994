import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './app-config';
import { envSchema } from './env.schema';

function readEnvExample(): Record<string, string> {
  const text = readFileSync(join(__dirname, '../../../../.env.example'), 'utf8');
  return Object.fromEntries(
    text
      .split('\n')
      .filter((line) => /^[A-Z][A-Z0-9_]*=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('runs with no variables at all, on local defaults', () => {
    const config = loadConfig({});
    expect(config.http.port).toBe(3000);
    expect(config.http.workerPort).toBe(3001);
    expect(config.database.url).toBe('postgres://postgres@127.0.0.1:5432/test');
    expect(config.redis.url).toBe('redis://127.0.0.1:6379');
    expect(config.worker.queues).toEqual(['ingestion', 'embeddings', 'file-generation', 'maintenance']);
  });

  it('names each bad variable and does not echo its value', () => {
    const problems = problemsOf({ PORT: 'eighty', DATABASE_URL: 'mysql://secret-pass@db/x', WORKER_QUEUES: 'ingestion,emails' });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^PORT: expected a whole number/),
        expect.stringMatching(/^DATABASE_URL: expected a URL starting with postgres:\/\//),
        expect.stringMatching(/^WORKER_QUEUES(\.1)?: expected a comma list of/),
      ]),
    );
    expect(problems.join(' ')).not.toContain('secret-pass');
  });

  it('rejects out-of-range numbers and non-boolean flags', () => {
    expect(problemsOf({ DATABASE_POOL_SIZE: '0' })).toEqual(['DATABASE_POOL_SIZE: expected at least 1']);
    expect(problemsOf({ DOCS_ENABLED: 'sometimes' })).toEqual(['DOCS_ENABLED: expected true or false']);
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '' }).http.port).toBe(3000);
  });

  it('parses lists and flags', () => {
    const config = loadConfig({ CORS_ORIGINS: 'https://a.example, https://b.example', DATABASE_SSL: 'true', WORKER_QUEUES: 'maintenance' });
    expect(config.http.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
    expect(config.database.ssl).toBe(true);
    expect(config.worker.queues).toEqual(['maintenance']);
  });
});

describe('LLM price table', () => {
  it('parses JSON prices and rejects malformed ones', () => {
    expect(loadConfig({ LLM_PRICES: '{"m":{"input":1,"output":2}}' }).llm.prices).toEqual({ m: { input: 1, output: 2 } });
    expect(loadConfig({}).llm.prices['local-extractive']).toEqual({ input: 0, output: 0 });
    expect(problemsOf({ LLM_PRICES: 'cheap' })).toEqual(['LLM_PRICES: expected JSON']);
    expect(problemsOf({ LLM_PRICES: '{"m":{"input":-1,"output":2}}' })[0]).toMatch(/^LLM_PRICES/);
  });

  it('requires a key for hosted providers', () => {
    expect(problemsOf({ LLM_PROVIDER: 'openai' })).toEqual(['LLM_API_KEY: required (or OPENAI_API_KEY) when LLM_PROVIDER=openai']);
    expect(problemsOf({ VECTOR_STORE: 'pinecone' })).toEqual(['PINECONE_API_KEY: required when VECTOR_STORE=pinecone']);
  });
});

describe('.env.example', () => {
  const example = readEnvExample();

  it('lists every variable the schema reads, and nothing else', () => {
    expect(Object.keys(example).sort()).toEqual(Object.keys(envSchema.shape).sort());
  });

  it('shows the real defaults', () => {
    expect(loadConfig(example)).toEqual(loadConfig({}));
  });
});
