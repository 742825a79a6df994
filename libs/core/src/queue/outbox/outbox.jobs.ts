import { defineJob } from '../job-definition';

/** Hands over outbox rows that were not delivered right after their commit. */
export const RelayOutboxJob = defineJob<Record<string, never>>({ queue: 'maintenance', name: 'outbox.relay' });

/** Deletes delivered outbox rows past the retention window. */
export const PruneOutboxJob = defineJob<Record<string, never>>({ queue: 'maintenance', name: 'outbox.prune' });
