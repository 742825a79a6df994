import type { Tenant } from '@showroom/auth';

/** The avatar vendor this deployment uses (AVATAR_PROVIDER); null when none is configured. */
export const AVATAR_PROVIDER = Symbol('AVATAR_PROVIDER');

export interface AvatarStartRequest {
  /** The vendor's avatar id (LiveAvatar) or avatar name (HeyGen); the configured default otherwise. */
  avatarId?: string;
  /** The vendor's voice id; the configured default otherwise. */
  voice?: string;
}

/**
 * What an adapter needs to reach a started session again from any process (the api pod that
 * speaks, the worker that keeps it alive or stops it): the vendor's per-session token and,
 * for LiveAvatar LITE, the WebSocket URL. Stored on the session row; never sent to a client.
 */
export type ProviderHandle = Record<string, string>;

export interface ProviderSession {
  providerSessionId: string;
  handle: ProviderHandle;
}

export interface StartedSession extends ProviderSession {
  /** The LiveKit room the browser joins, and the browser's own token for it. */
  livekitUrl: string;
  livekitToken: string;
  /** The vendor's own limit on the session, in seconds (null when it states none). */
  maxDurationSeconds: number | null;
}

/**
 * A LiveKit data message the browser publishes for us. LiveAvatar FULL mode takes its commands
 * only on the room's `agent-control` topic, which the api is not a participant of, so the api
 * decides the exact payload and the console relays it unchanged.
 */
export interface ClientCommand {
  topic: 'agent-control';
  payload: { event_id: string; event_type: 'avatar.speak_text' | 'avatar.interrupt'; session_id: string; text?: string };
}

/** What an adapter did for one call: nothing more to do, or a command the browser must relay. */
export interface ProviderAction {
  clientCommand?: ClientCommand;
}

/** A turn: the sentences of one answer, said in order, for one dealership (whose speech usage it is). */
export interface SpeakingTurn {
  id: string;
  tenant: Tenant;
  signal?: AbortSignal;
}

/**
 * A talking-avatar vendor. The avatar only ever says text Showroom gives it (the grounded
 * answer): no adapter exposes a vendor's own LLM mode (HeyGen `talk`, LiveAvatar
 * `speak_response`). Calls before the session exists may be retried; after that, never (a
 * retried sentence could be said twice).
 */
export interface AvatarProvider {
  readonly name: 'liveavatar' | 'heygen';
  /** `lite`/`full` for LiveAvatar, `repeat` for HeyGen's task_type. */
  readonly mode: 'lite' | 'full' | 'repeat';
  start(request: AvatarStartRequest): Promise<StartedSession>;
  speak(session: ProviderSession, sentence: string, turn: SpeakingTurn): Promise<ProviderAction>;
  /** The turn has no more sentences (LITE closes the speaking event). */
  endTurn(session: ProviderSession, turn: SpeakingTurn): Promise<void>;
  interrupt(session: ProviderSession): Promise<ProviderAction>;
  keepAlive(session: ProviderSession): Promise<void>;
  stop(session: ProviderSession): Promise<void>;
  /** Calls `listener` when the vendor ends a session on its own while this process holds a connection to it. */
  onDropped(listener: (providerSessionId: string, reason: string) => void): void;
}
