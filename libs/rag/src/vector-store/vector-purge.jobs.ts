import { defineJob } from '@showroom/core';

export interface PurgeVectorsPayload {
  dealershipId: string;
}

/** Deletes a dealership's tombstoned vectors from the external store, in batches. */
export const PurgeVectorsJob = defineJob<PurgeVectorsPayload>({
  queue: 'embeddings',
  name: 'vectors.purge',
  options: { attempts: 8, backoff: { type: 'exponential', delay: 2_000, jitter: 0.5 } },
});

/** Backstop: purges tombstones a lost or exhausted purge job left behind, for every dealership. */
export const SweepVectorTombstonesJob = defineJob<Record<string, never>>({ queue: 'maintenance', name: 'vectors.sweep-tombstones' });
