import { defineJob } from '../job-definition';

/** Hands over outbox rows not delivered right after their commit, and re-sends jobs Redis lost. */
export const RelayOutboxJob = defineJob<Record<string, never>>({ queue: 'maintenance', name: 'outbox.relay' });

/** Deletes settled outbox rows past the retention window. */
export const PruneOutboxJob = defineJob<Record<string, never>>({ queue: 'maintenance', name: 'outbox.prune' });
