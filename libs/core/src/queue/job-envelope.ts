/** What travels in a BullMQ job's data: the payload plus the request that caused it. */
export interface JobEnvelope<Payload = unknown> {
  payload: Payload;
  requestId?: string;
  /** Set when the job came through the outbox: the worker settles that row when done. */
  outboxId?: string;
}
