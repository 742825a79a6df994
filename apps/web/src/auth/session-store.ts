import type { SessionView, UserView } from '../api/types';

/** What the console keeps of a sign-in, shared by every tab of this origin through localStorage. */
export interface StoredSession {
  accessToken: string;
  refreshToken: string;
  /** When the access token expires, in ms since the epoch. */
  expiresAt: number;
  user: UserView;
  dealership: { id: string; name: string };
}

const KEY = 'showroom.session';
const listeners = new Set<(session: StoredSession | null) => void>();

export function toStoredSession(view: SessionView, now = Date.now()): StoredSession {
  return { accessToken: view.accessToken, refreshToken: view.refreshToken, expiresAt: now + view.expiresIn * 1000, user: view.user, dealership: view.dealership };
}

export function readSession(): StoredSession | null {
  try {
    const raw = localStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as StoredSession) : null;
  } catch {
    return null;
  }
}

export function writeSession(session: StoredSession | null): void {
  if (session) localStorage.setItem(KEY, JSON.stringify(session));
  else localStorage.removeItem(KEY);
  for (const listener of listeners) listener(session);
}

/** Changes from this tab and, through the storage event, from the others (a sign-out anywhere signs out everywhere). */
export function subscribeSession(listener: (session: StoredSession | null) => void): () => void {
  listeners.add(listener);
  const onStorage = (event: StorageEvent) => {
    if (event.key === KEY || event.key === null) listener(readSession());
  };
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', onStorage);
  };
}
