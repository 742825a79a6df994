import { SetMetadata, Type } from '@nestjs/common';
import { IsOptional, Matches } from 'class-validator';
import { ACCEPTABLE_ID } from '../context/request-id.middleware';
import type { SocketSession } from './socket-session';

export const SOCKET_COMMAND_METADATA = Symbol('showroom:socket-command');

/** `<domain>.<action>`: the domain's name first, so voice.* and avatar.* cannot collide with chat.*. */
const COMMAND_NAME = /^[a-z][a-zA-Z0-9]*(\.[a-z][a-zA-Z0-9]*)+$/;

/**
 * The base of every command's payload class: each command may carry `requestId`, the client's
 * correlation id, echoed on everything the command causes. Payload classes declare their
 * fields with class-validator as HTTP DTOs do; unknown fields are refused, as over HTTP.
 */
export class SocketCommandPayload {
  @IsOptional()
  // The same rule as the X-Request-Id header: short and plain, so it is safe in logs.
  @Matches(ACCEPTABLE_ID, { message: 'requestId must be 1 to 128 of A-Z a-z 0-9 . _ : -' })
  requestId?: string;
}

/** The client's correlation id of a frame, when it sent a usable one (echoed even when the frame is refused). */
export function clientRequestId(payload: unknown): string | undefined {
  const value = typeof payload === 'object' && payload !== null ? (payload as { requestId?: unknown }).requestId : undefined;
  return typeof value === 'string' && ACCEPTABLE_ID.test(value) ? value : undefined;
}

/** What a command returns goes into its ack as `{ ok: true, requestId, ...result }`. */
export type SocketCommandHandlerFn<Payload, Principal = never> = (
  payload: Payload,
  session: SocketSession<Principal>,
  requestId: string,
) => Promise<object | void> | object | void;

export interface SocketCommandMetadata {
  name: string;
  payload: Type<SocketCommandPayload>;
}

/**
 * Marks a provider method as the handler of one client → server socket command. The transport
 * (the api's gateway) finds it at boot, refuses two handlers for one name, and before calling
 * it: validates the payload into `payload`'s class, re-verifies the credential and applies
 * the per-identity command limits. Errors thrown (AppException) go back to the client in the
 * HTTP envelope with their code. Register the provider in a module only the api imports.
 */
export function SocketCommand<Payload extends SocketCommandPayload>(name: string, payload?: Type<Payload>) {
  if (!COMMAND_NAME.test(name)) throw new Error(`socket command "${name}" must be named <domain>.<action>`);
  return <Fn extends SocketCommandHandlerFn<Payload>>(target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<Fn>): void => {
    const metadata: SocketCommandMetadata = { name, payload: payload ?? SocketCommandPayload };
    SetMetadata(SOCKET_COMMAND_METADATA, metadata)(target, key, descriptor);
  };
}
