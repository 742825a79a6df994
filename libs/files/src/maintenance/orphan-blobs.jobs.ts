import { defineJob } from '@showroom/core';

/** Removes blobs no row references (a crash between a row's commit and its blob delete leaves one). */
export const SweepOrphanBlobsJob = defineJob<Record<string, never>>({ queue: 'maintenance', name: 'blobs.sweep-orphans' });
