import { ConfigError, loadConfig } from '@showroom/core';
import { avatarConfig } from './avatar.config';

const problems = (env: Record<string, string>) => {
  try {
    loadConfig(env, [avatarConfig]);
    return [];
  } catch (error) {
    return (error as ConfigError).problems;
  }
};

describe('avatar config section', () => {
  it('has no provider by default, and LITE as the LiveAvatar mode', () => {
    const { avatar } = loadConfig({}, [avatarConfig]);
    expect(avatar).toMatchObject({ provider: 'none', liveAvatar: { mode: 'lite', baseUrl: 'https://api.liveavatar.com' }, heyGen: { baseUrl: 'https://api.heygen.com' } });
  });

  it('requires a key and an avatar for the chosen provider, and a sweep that keeps sessions alive in time', () => {
    expect(problems({ AVATAR_PROVIDER: 'liveavatar' })).toEqual(['LIVEAVATAR_API_KEY: required when AVATAR_PROVIDER=liveavatar', 'LIVEAVATAR_AVATAR_ID: required when AVATAR_PROVIDER=liveavatar']);
    expect(problems({ AVATAR_PROVIDER: 'heygen', HEYGEN_API_KEY: 'k' })).toEqual(['HEYGEN_AVATAR_NAME: required when AVATAR_PROVIDER=heygen']);
    expect(problems({ AVATAR_KEEPALIVE_SECONDS: '60', AVATAR_SWEEP_INTERVAL_MS: '90000' })).toEqual([
      'AVATAR_SWEEP_INTERVAL_MS: must not be longer than AVATAR_KEEPALIVE_SECONDS (the sweep sends the keep-alives)',
    ]);
    // LiveAvatar drops a session after 5 idle minutes: a keep-alive interval past that is refused.
    expect(problems({ AVATAR_KEEPALIVE_SECONDS: '300' })[0]).toMatch(/^AVATAR_KEEPALIVE_SECONDS/);
  });
});
