import { describe, expect, it } from 'vitest';
import { fakeApi, json, envelope } from '../test/fake-api';
import { signedIn } from '../test/render-app';
import { readSession } from './session-store';
import { freshAccessToken, refreshSession } from './token-refresher';

const rotated = (n: number) => ({ ...signedIn(), accessToken: `access-${n}`, refreshToken: `refresh-${n}`, expiresIn: 900 });

describe('token refresh', () => {
  it('refreshes an access token close to expiry before using it, and stores the rotated pair', async () => {
    signedIn('staff', { expiresAt: Date.now() + 30_000 });
    const api = fakeApi({ 'POST /api/v1/auth/refresh': () => json(200, rotated(2)) });
    expect(await freshAccessToken()).toBe('access-2');
    expect(await api.route('POST /api/v1/auth/refresh')[0].json()).toEqual({ refreshToken: 'refresh-1' });
    expect(readSession()).toMatchObject({ accessToken: 'access-2', refreshToken: 'refresh-2' });
    expect(readSession()!.expiresAt).toBeGreaterThan(Date.now() + 800_000);
  });

  it('sends a refresh token once even when two callers (two tabs) hold it at the same time', async () => {
    const held = signedIn('staff', { expiresAt: Date.now() + 1000 }).refreshToken;
    const api = fakeApi({ 'POST /api/v1/auth/refresh': () => json(200, rotated(2)) });
    const [a, b] = await Promise.all([refreshSession(held), refreshSession(held)]);
    expect(api.route('POST /api/v1/auth/refresh')).toHaveLength(1);
    expect(a?.refreshToken).toBe('refresh-2');
    expect(b?.refreshToken).toBe('refresh-2');
  });

  it('signs out when the api refuses the refresh token', async () => {
    const held = signedIn('staff', { expiresAt: Date.now() + 1000 }).refreshToken;
    fakeApi({ 'POST /api/v1/auth/refresh': () => envelope(401, 'REFRESH_TOKEN_REUSED', 'This sign-in was ended for safety; sign in again.') });
    await expect(refreshSession(held)).rejects.toThrow('sign in again');
    expect(readSession()).toBeNull();
  });
});

describe('token refresh racing a holder outside the lock', () => {
  it('takes the pair another holder stored when the api says the token was just rotated', async () => {
    const held = signedIn('staff', { expiresAt: Date.now() + 1000 }).refreshToken;
    fakeApi({
      'POST /api/v1/auth/refresh': () => {
        // Another tab's refresh lands in storage while ours is refused.
        setTimeout(() => signedIn('staff', { refreshToken: 'refresh-9', accessToken: 'access-9' }), 150);
        return envelope(401, 'REFRESH_TOKEN_ROTATED', 'This refresh token was just used; use the new one.');
      },
    });
    expect(await refreshSession(held)).toMatchObject({ refreshToken: 'refresh-9' });
    expect(readSession()).toMatchObject({ accessToken: 'access-9' });
  });
});
