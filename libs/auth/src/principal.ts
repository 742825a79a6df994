import type { Role } from './roles';

/** The dealership a request acts for, taken from the verified token or key only. */
export interface Tenant {
  dealershipId: string;
}

/** Who is calling: a signed-in user or an integration's API key. */
export type Principal =
  | { kind: 'user'; userId: string; dealershipId: string; role: Role }
  | { kind: 'apiKey'; apiKeyId: string; dealershipId: string; role: null };

export type RequestWithPrincipal = { principal?: Principal; ip?: string };
