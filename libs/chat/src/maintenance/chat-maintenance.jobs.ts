import { defineJob } from '@showroom/core';

/** Closes answers left `streaming` by a pod that died mid-answer. */
export const CloseAbandonedAnswersJob = defineJob<Record<string, never>>({ queue: 'maintenance', name: 'chat.close-abandoned-answers' });
