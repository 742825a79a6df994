import type { Dealership } from '../entities/dealership.entity';
import type { User } from '../entities/user.entity';
import type { Principal } from '../principal';

/**
 * The rows a request's authentication already read (one joined query in JwtStrategy), kept
 * for the handler of the same request so GET /auth/me does not read them again. Keyed by the
 * principal object, which lives exactly as long as its request: nothing outlives it.
 */
const records = new WeakMap<Principal, { user: User; dealership: Dealership }>();

export const VerifiedRecords = {
  remember(principal: Principal, user: User, dealership: Dealership): void {
    records.set(principal, { user, dealership });
  },
  of(principal: Principal): { user: User; dealership: Dealership } | undefined {
    return records.get(principal);
  },
};
