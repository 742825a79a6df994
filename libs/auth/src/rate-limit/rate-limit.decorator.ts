import { SetMetadata } from '@nestjs/common';

export const AUTH_RATE_LIMITED = 'showroom:auth-rate-limited';

/** Adds the strict per-IP limit for credential endpoints (login, refresh, register). */
export const AuthRateLimited = () => SetMetadata(AUTH_RATE_LIMITED, true);
