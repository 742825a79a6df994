import { randomUUID } from 'node:crypto';
import type { AppConfig } from '@showroom/core';
import type { AvatarSpeech } from './avatar-speech.port';
import type { AvatarProvider, AvatarStartRequest, ProviderAction, ProviderSession, SpeakingTurn, StartedSession } from './avatar-provider.port';
import { LiteSockets } from './lite-sockets';
import { ProviderSessionGone, providerFailed } from './provider-errors';
import { VendorHttp, VendorResponse } from './vendor-http';

const NAME = 'LiveAvatar';
/** LITE takes ~1 s of audio per message (24 000 samples × 2 bytes), at most 1 MB. */
const CHUNK_BYTES = 48_000;
const SUCCESS = 1000;

/**
 * LiveAvatar (HeyGen's successor, api.liveavatar.com).
 *
 * - LITE (default): the vendor only renders. Each sentence is turned into our own speech
 *   (AvatarSpeech: PCM16 24 kHz) and pushed over the session's WebSocket as `agent.speak`
 *   chunks of one speaking event per turn, closed by `agent.speak_end`. Only the server holds
 *   `ws_url`, so only the server decides what the avatar says.
 * - FULL: the vendor speaks text with its own voice. Its commands travel only on the LiveKit
 *   room's `agent-control` topic, which the api does not join, so `speak` returns the exact
 *   `avatar.speak_text` payload for the console to publish. PUSH_TO_TALK with no push ever
 *   sent keeps the vendor's listening and LLM idle; `avatar.speak_response` is never used.
 */
export class LiveAvatarAdapter implements AvatarProvider {
  readonly name = 'liveavatar' as const;
  readonly mode: 'lite' | 'full';
  private readonly http: VendorHttp;
  private readonly sockets: LiteSockets;

  constructor(
    private readonly config: AppConfig,
    private readonly speech: AvatarSpeech,
  ) {
    this.mode = config.avatar.liveAvatar.mode;
    this.http = new VendorHttp({ provider: NAME, baseUrl: config.avatar.liveAvatar.baseUrl, timeoutMs: config.providers.timeoutMs, maxRetries: config.providers.maxRetries });
    this.sockets = new LiteSockets(config.providers.timeoutMs);
  }

  async start(request: AvatarStartRequest): Promise<StartedSession> {
    const settings = this.config.avatar.liveAvatar;
    const avatarId = request.avatarId ?? settings.avatarId;
    const body =
      this.mode === 'lite'
        ? { mode: 'LITE', avatar_id: avatarId, is_sandbox: settings.sandbox }
        : {
            mode: 'FULL',
            avatar_id: avatarId,
            avatar_persona: { voice_id: request.voice ?? settings.voiceId, language: settings.language },
            interactivity_type: 'PUSH_TO_TALK',
            is_sandbox: settings.sandbox,
          };
    const token = data(await this.http.postRetrying('/v1/sessions/token', { 'x-api-key': settings.apiKey ?? '' }, body), 'sessions/token');
    const sessionToken = String(token.session_token ?? '');
    if (!sessionToken) throw providerFailed(NAME, 'sessions/token returned no session token');
    // Retried: a session that has not started can say nothing, so nothing is said twice.
    const started = data(await this.http.postRetrying('/v1/sessions/start', bearer(sessionToken)), 'sessions/start');
    const session: StartedSession = {
      providerSessionId: String(started.session_id ?? token.session_id ?? ''),
      // LITE speaks in our own voice: the requested one is a voice of our text-to-speech provider.
      handle: { token: sessionToken, ...(started.ws_url ? { wsUrl: String(started.ws_url) } : {}), ...(this.mode === 'lite' && request.voice ? { voice: request.voice } : {}) },
      livekitUrl: String(started.livekit_url ?? ''),
      livekitToken: String(started.livekit_client_token ?? ''),
      maxDurationSeconds: typeof started.max_session_duration === 'number' ? started.max_session_duration : null,
    };
    if (!session.providerSessionId || !session.livekitUrl || !session.livekitToken) throw providerFailed(NAME, 'sessions/start returned no room');
    if (this.mode === 'lite' && !session.handle.wsUrl) {
      await this.stop(session).catch(() => undefined);
      throw providerFailed(NAME, 'sessions/start returned no ws_url for a LITE session');
    }
    return session;
  }

  async speak(session: ProviderSession, sentence: string, turn: SpeakingTurn): Promise<ProviderAction> {
    if (this.mode === 'full') {
      return { clientCommand: { topic: 'agent-control', payload: { event_id: randomUUID(), event_type: 'avatar.speak_text', session_id: session.providerSessionId, text: sentence } } };
    }
    const ws = await this.sockets.get(session.providerSessionId, session.handle.wsUrl);
    let pending = Buffer.alloc(0);
    const push = (audio: Buffer) => ws.send(JSON.stringify({ type: 'agent.speak', event_id: turn.id, audio: audio.toString('base64') }));
    for await (const chunk of this.speech.synthesize(turn.tenant, sentence, { voice: session.handle.voice, signal: turn.signal })) {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= CHUNK_BYTES) {
        push(pending.subarray(0, CHUNK_BYTES));
        pending = pending.subarray(CHUNK_BYTES);
      }
    }
    if (pending.length > 0) push(pending);
    return {};
  }

  async endTurn(session: ProviderSession, turn: SpeakingTurn): Promise<void> {
    if (this.mode === 'lite') this.sockets.send(session.providerSessionId, { type: 'agent.speak_end', event_id: turn.id });
  }

  async interrupt(session: ProviderSession): Promise<ProviderAction> {
    if (this.mode === 'full') {
      return { clientCommand: { topic: 'agent-control', payload: { event_id: randomUUID(), event_type: 'avatar.interrupt', session_id: session.providerSessionId } } };
    }
    // Only the pod holding the socket can interrupt; the others have nothing queued at the vendor.
    const ws = await this.sockets.get(session.providerSessionId, session.handle.wsUrl);
    ws.send(JSON.stringify({ type: 'agent.interrupt', event_id: randomUUID() }));
    return {};
  }

  async keepAlive(session: ProviderSession): Promise<void> {
    data(await this.http.post('/v1/sessions/keep-alive', bearer(session.handle.token), { session_id: session.providerSessionId }), 'sessions/keep-alive', true);
  }

  async stop(session: ProviderSession): Promise<void> {
    this.sockets.close(session.providerSessionId);
    try {
      data(await this.http.post('/v1/sessions/stop', bearer(session.handle.token), { session_id: session.providerSessionId }), 'sessions/stop', true);
    } catch (error) {
      if (!(error instanceof ProviderSessionGone)) throw error;
    }
  }

  onDropped(listener: (providerSessionId: string, reason: string) => void): void {
    this.sockets.onDropped(listener);
  }

  /** At shutdown this process's LITE sockets close; the sessions live on for another pod (which reopens them) or the sweep. */
  onApplicationShutdown(): void {
    this.sockets.closeAll();
  }
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** LiveAvatar answers `{ code: 1000, data }` on success; anything else names the problem in `message`. */
function data(res: VendorResponse, call: string, onSession = false): Record<string, unknown> {
  const body = res.body ?? {};
  if (res.status < 400 && body.code === SUCCESS) return (body.data as Record<string, unknown> | undefined) ?? {};
  const message = String(body.message ?? `HTTP ${res.status}`);
  if (onSession && (res.status === 404 || res.status === 410 || /not found|closed|ended|expired/i.test(message))) throw new ProviderSessionGone(`${call}: ${message}`);
  throw providerFailed(NAME, `${call}: ${message}`);
}
