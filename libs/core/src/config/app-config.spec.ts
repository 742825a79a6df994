import { ConfigError, loadConfig } from './app-config';
import { defineConfigSection } from './config-section';
import { envInt } from './env-values';

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

describe('config sections', () => {
  const widgets = defineConfigSection({
    owner: 'widgets',
    env: { WIDGET_COUNT: envInt(1, 10).default(3) },
    check(env, problem) {
      if (env.NODE_ENV === 'production' && env.WIDGET_COUNT < 2) problem('WIDGET_COUNT', 'expected at least 2 in production');
    },
    read: (e) => ({ shutdown: { graceMs: e.WIDGET_COUNT, readinessDelayMs: 0 } }),
  });

  it('adds the variables, defaults and settings to the one config', () => {
    expect(loadConfig({}, [widgets]).shutdown.graceMs).toBe(3);
    expect(loadConfig({ WIDGET_COUNT: '7' }, [widgets]).shutdown.graceMs).toBe(7);
  });

  it('names a bad section variable beside a core one, and runs the section rules', () => {
    let problems: string[] = [];
    try {
      loadConfig({ WIDGET_COUNT: '11', PORT: 'x' }, [widgets]);
    } catch (error) {
      problems = (error as ConfigError).problems;
    }
    expect(problems.sort()).toEqual(['PORT: expected a whole number', 'WIDGET_COUNT: expected at most 10']);
    expect(() => loadConfig({ NODE_ENV: 'production', WIDGET_COUNT: '1' }, [widgets])).toThrow(/WIDGET_COUNT: expected at least 2 in production/);
  });

  it('refuses two owners of one variable', () => {
    const twin = defineConfigSection({ owner: 'twin', env: { PORT: envInt(1, 2) }, read: () => ({}) });
    expect(() => loadConfig({}, [twin])).toThrow(/PORT is declared twice \(again by twin\)/);
  });
});
