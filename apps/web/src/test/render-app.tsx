import { QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { App } from '../app';
import type { Role } from '../api/types';
import { AuthProvider } from '../auth/auth-context';
import { writeSession, type StoredSession } from '../auth/session-store';
import { createQueryClient } from '../query-client';

export function signedIn(role: Role = 'owner', overrides: Partial<StoredSession> = {}): StoredSession {
  const session: StoredSession = {
    accessToken: 'access-1',
    refreshToken: 'refresh-1',
    expiresAt: Date.now() + 15 * 60_000,
    user: { id: 'u1', email: 'dana@northside.example', name: 'Dana Owner', role, active: true, createdAt: '2026-01-01T00:00:00.000Z' },
    dealership: { id: 'd1', name: 'Northside Motors' },
    ...overrides,
  };
  writeSession(session);
  return session;
}

/** The whole console at `path`, as main.tsx mounts it but with an in-memory router. */
export function renderApp(path: string) {
  return render(
    <QueryClientProvider client={createQueryClient()}>
      <MemoryRouter initialEntries={[path]}>
        <AuthProvider>
          <App />
        </AuthProvider>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}
