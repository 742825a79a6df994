import { useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { body, createAuthedApi, publicApi, type AuthedApi } from '../api/client';
import type { SessionView } from '../api/types';
import { readSession, subscribeSession, toStoredSession, writeSession, type StoredSession } from './session-store';
import { freshAccessToken, REFRESH_MARGIN_MS, refreshSession } from './token-refresher';

interface RegisterInput {
  dealershipName: string;
  name: string;
  email: string;
  password: string;
}

interface Auth {
  session: StoredSession | null;
  api: AuthedApi;
  signIn(email: string, password: string): Promise<void>;
  register(input: RegisterInput): Promise<void>;
  signOut(): Promise<void>;
}

const AuthContext = createContext<Auth | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<StoredSession | null>(readSession);
  const queryClient = useQueryClient();
  // A sign-out here or in another tab drops every cached answer of the previous user.
  useEffect(
    () =>
      subscribeSession((next) => {
        if (!next) queryClient.clear();
        setSession(next);
      }),
    [queryClient],
  );

  // Refresh ahead of expiry; every tab sets this timer, the lock makes only one of them send.
  useEffect(() => {
    if (!session) return;
    const delay = Math.max(0, session.expiresAt - Date.now() - REFRESH_MARGIN_MS);
    const timer = setTimeout(() => void refreshSession(session.refreshToken).catch(() => undefined), delay);
    return () => clearTimeout(timer);
  }, [session]);

  const auth = useMemo<Auth>(
    () => ({
      session,
      api: createAuthedApi(() => freshAccessToken()),
      async signIn(email, password) {
        writeSession(toStoredSession(await body<SessionView>(publicApi.POST('/api/v1/auth/login', { body: { email, password } }))));
      },
      async register(input) {
        writeSession(toStoredSession(await body<SessionView>(publicApi.POST('/api/v1/auth/register', { body: input }))));
      },
      async signOut() {
        const current = readSession();
        writeSession(null);
        // Revoke the refresh token server-side; the tab is signed out whether or not that arrives.
        if (current) await publicApi.POST('/api/v1/auth/logout', { body: { refreshToken: current.refreshToken } }).catch(() => undefined);
      },
    }),
    [session],
  );
  return <AuthContext.Provider value={auth}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error('useAuth outside AuthProvider');
  return auth;
}

export const isAdmin = (session: StoredSession | null) => session?.user.role === 'owner' || session?.user.role === 'admin';
