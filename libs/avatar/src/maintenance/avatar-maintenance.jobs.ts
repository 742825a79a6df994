import { defineJob } from '@showroom/core';

/** Ends sessions past a limit or whose client vanished, and keeps the rest alive at the vendor. */
export const SweepAvatarSessionsJob = defineJob<Record<string, never>>({ queue: 'maintenance', name: 'avatar.sweep-sessions' });
