import type { Request } from 'express';

/** The client asked for Server-Sent Events instead of JSON. */
export const wantsEventStream = (req: Request) => (req.headers.accept ?? '').includes('text/event-stream');

/** `Last-Event-ID` (header, or `lastEventId` query for clients that cannot set headers) → the seq after which to resume. */
export function lastSeenSeq(req: Request, messageId: string): number {
  const raw = (req.headers['last-event-id'] as string | undefined) ?? (req.query.lastEventId as string | undefined) ?? '';
  const [id, seq] = raw.includes(':') ? raw.split(':') : [messageId, raw];
  const n = Number(seq);
  return id === messageId && Number.isInteger(n) && n > 0 ? n : 0;
}
