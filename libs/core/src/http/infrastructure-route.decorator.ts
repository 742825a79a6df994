import { SetMetadata } from '@nestjs/common';

export const INFRASTRUCTURE_ROUTE = 'showroom:infrastructure-route';

/**
 * The paths infrastructure addresses every few seconds on every pod (kubelet probes, the
 * Prometheus scrape). They are not logged per request (RequestLogging).
 */
export const INFRASTRUCTURE_PATHS: ReadonlySet<string> = new Set(['/health/live', '/health/ready', '/metrics']);

/**
 * Marks routes addressed by infrastructure (probes, scrapes): they need no credentials and
 * are not rate limited. Auth and rate-limit guards skip them.
 */
export const InfrastructureRoute = () => SetMetadata(INFRASTRUCTURE_ROUTE, true);
