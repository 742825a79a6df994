/** Every BullMQ queue, in one place. Which jobs travel on each is declared by the lib that owns the work. */
export const QUEUE_NAMES = ['ingestion', 'embeddings', 'file-generation', 'maintenance'] as const;

export type QueueName = (typeof QUEUE_NAMES)[number];
