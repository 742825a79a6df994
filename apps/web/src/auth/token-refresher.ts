import { ApiError } from '../api/api-error';
import { body, publicApi } from '../api/client';
import type { SessionView } from '../api/types';
import { withRefreshLock } from './refresh-lock';
import { readSession, toStoredSession, writeSession, type StoredSession } from './session-store';

/** Refresh this long before the access token expires, so no request goes out with a dying token. */
export const REFRESH_MARGIN_MS = 60_000;

/** How long the lock is kept after writing a new pair, for the write to reach the other tabs. */
const STORAGE_SETTLE_MS = 150;

/**
 * Trades the refresh token for a new pair, under the cross-tab lock. Inside the lock the
 * stored session is read again: if another tab already rotated the token we were holding,
 * its result is used and nothing is sent, so the same token never goes out twice.
 */
export function refreshSession(seenRefreshToken: string): Promise<StoredSession | null> {
  return withRefreshLock(async () => {
    const current = readSession();
    if (!current) return null;
    if (current.refreshToken !== seenRefreshToken) return current;
    try {
      const view = await body<SessionView>(publicApi.POST('/api/v1/auth/refresh', { body: { refreshToken: current.refreshToken } }));
      const next = toStoredSession(view);
      writeSession(next);
      // localStorage reaches other tabs' renderers a moment later, not at once (seen in Chromium:
      // the next lock holder read the old pair and sent it again). Holding the lock a little past
      // the write lets the next holder see the new pair.
      await new Promise((resolve) => setTimeout(resolve, STORAGE_SETTLE_MS));
      return next;
    } catch (error) {
      // Rotated moments ago by a holder outside this lock (a tab of an older console, or one that
      // reloaded mid-refresh): its new pair may still land in storage, so look before giving up.
      if (error instanceof ApiError && error.code === 'REFRESH_TOKEN_ROTATED') {
        const landed = await rotatedElsewhere(current.refreshToken);
        if (landed) return landed;
      }
      // A refused refresh (expired, revoked, reused) ends the session; a network error keeps it for a retry.
      if (error instanceof ApiError && error.status === 401) writeSession(null);
      throw error;
    }
  });
}

async function rotatedElsewhere(oldRefreshToken: string, waitMs = 2000): Promise<StoredSession | null> {
  for (const deadline = Date.now() + waitMs; Date.now() < deadline; ) {
    const stored = readSession();
    if (stored && stored.refreshToken !== oldRefreshToken) return stored;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return null;
}

/** The access token to send now, refreshed first when it is within the margin of expiry. */
export async function freshAccessToken(now = Date.now()): Promise<string | null> {
  const session = readSession();
  if (!session) return null;
  if (session.expiresAt - now > REFRESH_MARGIN_MS) return session.accessToken;
  const next = await refreshSession(session.refreshToken);
  return next?.accessToken ?? null;
}
