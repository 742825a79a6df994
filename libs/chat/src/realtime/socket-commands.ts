import type { ErrorDetail } from '@showroom/core';
import { SocketErrors } from './socket-errors';

/** Client → server events and their payloads (all JSON objects; unknown fields are refused, as over HTTP). */
export type SocketCommand =
  | { event: 'chat.ask'; conversationId: string; content: string; requestId?: string }
  | { event: 'chat.resume'; messageId: string; afterSeq: number }
  // Here requestId names the ask to cancel: its messageId is unknown until its first event.
  | { event: 'chat.cancel'; messageId?: string; requestId?: string }
  | { event: 'documents.subscribe' }
  | { event: 'documents.unsubscribe' };

export const COMMAND_EVENTS = ['chat.ask', 'chat.resume', 'chat.cancel', 'documents.subscribe', 'documents.unsubscribe'] as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The same rule as the X-Request-Id header: short and plain, so it is safe in logs. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
/** The HTTP DTO's ceiling; the configurable CHAT_MESSAGE_MAX_CHARS is enforced by the service (422). */
const CONTENT_CEILING = 100_000;

/** Besides these, every command may carry `requestId`: the client's correlation id, echoed on what the command causes. */
const FIELDS: Record<SocketCommand['event'], { required: string[]; optional: string[] }> = {
  'chat.ask': { required: ['conversationId', 'content'], optional: [] },
  'chat.resume': { required: ['messageId'], optional: ['lastEventId'] },
  'chat.cancel': { required: [], optional: ['messageId'] },
  'documents.subscribe': { required: [], optional: [] },
  'documents.unsubscribe': { required: [], optional: [] },
};

/** The client's correlation id of a frame, when it sent a usable one (echoed on every event the frame causes). */
export function clientRequestId(payload: unknown): string | undefined {
  const value = isObject(payload) ? payload.requestId : undefined;
  return typeof value === 'string' && REQUEST_ID.test(value) ? value : undefined;
}

/** Turns a received frame into a command, or throws VALIDATION_FAILED / UNKNOWN_EVENT listing every problem. */
export function parseCommand(event: string, payload: unknown): SocketCommand {
  if (!(COMMAND_EVENTS as readonly string[]).includes(event)) throw SocketErrors.unknownEvent(event, COMMAND_EVENTS);
  const name = event as SocketCommand['event'];
  // Commands without fields may be sent bare: socket.emit('documents.subscribe') (an ack makes that null).
  const body = (payload === undefined || payload === null) && FIELDS[name].required.length === 0 ? {} : payload;
  if (!isObject(body)) throw SocketErrors.validation([{ message: 'The payload must be a JSON object.' }]);

  const problems: ErrorDetail[] = [];
  const { required, optional } = FIELDS[name];
  for (const field of Object.keys(body)) {
    if (field !== 'requestId' && !required.includes(field) && !optional.includes(field)) problems.push({ field, message: `property ${field} should not exist` });
  }
  for (const field of required) if (body[field] === undefined) problems.push({ field, message: `${field} is required` });
  const check = (field: string, ok: (value: unknown) => boolean, message: string) => {
    if (body[field] !== undefined && !ok(body[field])) problems.push({ field, message });
  };
  const uuid = (value: unknown) => typeof value === 'string' && UUID.test(value);
  check('conversationId', uuid, 'conversationId must be a UUID');
  check('messageId', uuid, 'messageId must be a UUID');
  check('content', (v) => typeof v === 'string' && v.length >= 1 && v.length <= CONTENT_CEILING, `content must be a string of 1 to ${CONTENT_CEILING} characters`);
  check('requestId', (v) => typeof v === 'string' && REQUEST_ID.test(v), 'requestId must be 1 to 128 of A-Z a-z 0-9 . _ : -');
  const afterSeq = name === 'chat.resume' ? seqAfter(body.lastEventId, body.messageId) : 0;
  check('lastEventId', () => afterSeq !== undefined, 'lastEventId must be "<messageId>:<seq>" or a sequence number');
  if (name === 'chat.cancel' && body.messageId === undefined && body.requestId === undefined) {
    problems.push({ field: 'messageId', message: 'messageId or requestId is required' });
  }
  if (problems.length > 0) throw SocketErrors.validation(problems);

  switch (name) {
    case 'chat.ask':
      return { event: name, conversationId: body.conversationId as string, content: body.content as string, requestId: body.requestId as string | undefined };
    case 'chat.resume':
      return { event: name, messageId: body.messageId as string, afterSeq: afterSeq ?? 0 };
    case 'chat.cancel':
      return { event: name, messageId: body.messageId as string | undefined, requestId: body.requestId as string | undefined };
    default:
      return { event: name };
  }
}

/** `lastEventId` as SSE's Last-Event-ID: "<messageId>:<seq>" or a bare seq; absent means from the start. */
function seqAfter(lastEventId: unknown, messageId: unknown): number | undefined {
  if (lastEventId === undefined || lastEventId === null) return 0;
  const raw = String(lastEventId);
  if (typeof lastEventId !== 'string' && typeof lastEventId !== 'number') return undefined;
  const [id, seq] = raw.includes(':') ? raw.split(':', 2) : [messageId, raw];
  const n = Number(seq);
  return id === messageId && Number.isInteger(n) && n >= 0 ? n : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
