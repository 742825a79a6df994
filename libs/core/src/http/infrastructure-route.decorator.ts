import { SetMetadata } from '@nestjs/common';

export const INFRASTRUCTURE_ROUTE = 'showroom:infrastructure-route';

/**
 * Marks routes addressed by infrastructure (probes, scrapes): they need no credentials and
 * are not rate limited. Auth and rate-limit guards skip them.
 */
export const InfrastructureRoute = () => SetMetadata(INFRASTRUCTURE_ROUTE, true);
