import type { AppConfig } from '@showroom/core';
import type { AvatarProvider, AvatarStartRequest, ProviderAction, ProviderSession, StartedSession } from './avatar-provider.port';
import { ProviderSessionGone, providerFailed } from './provider-errors';
import { VendorHttp, VendorResponse } from './vendor-http';

const NAME = 'HeyGen';

/**
 * HeyGen Interactive Avatar, the legacy streaming API (`/v1/streaming.*`). The API key is used
 * once per session, for `streaming.create_token`; every later call carries that session token.
 * Text is said with `streaming.task` and `task_type: "repeat"` only: `talk` would have HeyGen's
 * own LLM answer, ungrounded.
 */
export class HeyGenAvatar implements AvatarProvider {
  readonly name = 'heygen' as const;
  readonly mode = 'repeat' as const;
  private readonly http: VendorHttp;

  constructor(private readonly config: AppConfig) {
    this.http = new VendorHttp({ provider: NAME, baseUrl: config.avatar.heyGen.baseUrl, timeoutMs: config.providers.timeoutMs, maxRetries: config.providers.maxRetries });
  }

  async start(request: AvatarStartRequest): Promise<StartedSession> {
    const settings = this.config.avatar.heyGen;
    const token = await this.http.postRetrying('/v1/streaming.create_token', { 'x-api-key': settings.apiKey ?? '' });
    const sessionToken = String(data(token, 'streaming.create_token').token ?? '');
    if (!sessionToken) throw providerFailed(NAME, 'streaming.create_token returned no token');
    const auth = { authorization: `Bearer ${sessionToken}` };
    const created = data(
      await this.http.postRetrying('/v1/streaming.new', auth, {
        avatar_name: request.avatarId ?? settings.avatarName,
        quality: settings.quality,
        voice: { voice_id: request.voice ?? settings.voiceId, rate: 1 },
        language: settings.language,
        version: 'v2',
        video_encoding: 'H264',
        // HeyGen's own idle limit sits above ours, so our sweep (not HeyGen) decides when an idle session ends.
        activity_idle_timeout: Math.min(3_600, this.config.avatar.idleTimeoutSeconds + 60),
      }),
      'streaming.new',
    );
    const session: StartedSession = {
      providerSessionId: String(created.session_id ?? ''),
      handle: { token: sessionToken },
      livekitUrl: String(created.url ?? ''),
      livekitToken: String(created.access_token ?? ''),
      maxDurationSeconds: typeof created.session_duration_limit === 'number' ? created.session_duration_limit : null,
    };
    if (!session.providerSessionId || !session.livekitUrl || !session.livekitToken) throw providerFailed(NAME, 'streaming.new returned no session');
    try {
      // Retried: until start succeeds the avatar can say nothing, so nothing can be said twice.
      data(await this.http.postRetrying('/v1/streaming.start', auth, { session_id: session.providerSessionId }), 'streaming.start');
    } catch (error) {
      // A created session that never started must not run on (and bill) at HeyGen.
      await this.stop(session).catch(() => undefined);
      throw error;
    }
    return session;
  }

  async speak(session: ProviderSession, sentence: string): Promise<ProviderAction> {
    // async: HeyGen queues the sentences in order and says them while the next ones arrive.
    await this.call(session, '/v1/streaming.task', { text: sentence, task_type: 'repeat', task_mode: 'async' });
    return {};
  }

  async endTurn(): Promise<void> {
    // Each task is complete on its own.
  }

  async interrupt(session: ProviderSession): Promise<ProviderAction> {
    await this.call(session, '/v1/streaming.interrupt');
    return {};
  }

  async keepAlive(session: ProviderSession): Promise<void> {
    await this.call(session, '/v1/streaming.keep_alive');
  }

  async stop(session: ProviderSession): Promise<void> {
    try {
      await this.call(session, '/v1/streaming.stop');
    } catch (error) {
      if (!(error instanceof ProviderSessionGone)) throw error;
    }
  }

  onDropped(): void {
    // HeyGen holds no connection to this process; a dropped session shows as ProviderSessionGone on the next call.
  }

  private async call(session: ProviderSession, path: string, extra: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    const res = await this.http.post(path, { authorization: `Bearer ${session.handle.token}` }, { session_id: session.providerSessionId, ...extra });
    return data(res, path.slice('/v1/'.length), true);
  }
}

/** HeyGen answers `{ error: null, data }` (or `{ code, message }` on failure); a session it no longer knows is "gone". */
function data(res: VendorResponse, call: string, onSession = false): Record<string, unknown> {
  const body = res.body ?? {};
  const failed = res.status >= 400 || (body.error !== undefined && body.error !== null) || (typeof body.code === 'number' && body.code !== 100 && !body.data);
  if (!failed) return (body.data as Record<string, unknown> | undefined) ?? {};
  const message = String((body.message as string | undefined) ?? (body.error as { message?: string } | undefined)?.message ?? `HTTP ${res.status}`);
  if (onSession && (res.status === 404 || /not found|closed|not in correct state|no longer/i.test(message))) throw new ProviderSessionGone(`${call}: ${message}`);
  throw providerFailed(NAME, `${call}: ${message}`);
}
