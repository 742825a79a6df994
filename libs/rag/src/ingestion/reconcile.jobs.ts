import { defineJob } from '@showroom/core';

/** Finds documents whose ingestion stopped without a trace and starts it again (or fails them). */
export const ReconcileDocumentsJob = defineJob<Record<string, never>>({ queue: 'maintenance', name: 'documents.reconcile' });
