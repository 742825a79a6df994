import { createParser } from 'eventsource-parser';
import { ApiError } from '../api/api-error';
import { freshAccessToken } from '../auth/token-refresher';
import { readSession } from '../auth/session-store';

export interface AvatarSessionView {
  id: string;
  provider: string;
  mode: string;
  status: 'starting' | 'active' | 'ended';
  conversationId: string;
  livekitUrl: string | null;
  livekitToken: string | null;
  expiresAt: string;
  endReason: string | null;
}

export interface ClientCommand {
  topic: 'agent-control';
  payload: Record<string, unknown>;
}

async function call<T>(path: string, init: RequestInit = {}): Promise<T> {
  const token = await freshAccessToken();
  const response = await fetch(`/api/v1/avatar/sessions${path}`, {
    ...init,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(init.headers as Record<string, string>) },
  });
  if (!response.ok) throw await ApiError.fromResponse(response);
  return (response.status === 204 ? undefined : await response.json()) as T;
}

export const createAvatarSession = (conversationId?: string) =>
  call<AvatarSessionView>('', { method: 'POST', body: JSON.stringify(conversationId ? { conversationId } : {}), headers: { 'Idempotency-Key': crypto.randomUUID() } });
export const keepAvatarAlive = (id: string) => call<AvatarSessionView>(`/${id}/keep-alive`, { method: 'POST' });
export const getAvatarSession = (id: string) => call<AvatarSessionView>(`/${id}`);
export const interruptAvatar = (id: string) => call<{ interrupted: boolean; clientCommand?: ClientCommand }>(`/${id}/interrupt`, { method: 'POST' });
export const endAvatarSession = (id: string) => call<AvatarSessionView>(`/${id}`, { method: 'DELETE' });

/**
 * Ends the session as the tab goes away: `keepalive` lets the request outlive the page, and
 * the token is read synchronously (no refresh can run during pagehide).
 */
export function endAvatarSessionOnExit(id: string): void {
  const token = readSession()?.accessToken;
  void fetch(`/api/v1/avatar/sessions/${id}`, { method: 'DELETE', keepalive: true, headers: token ? { Authorization: `Bearer ${token}` } : {} }).catch(() => undefined);
}

export interface SpeakHandlers {
  onSpeaking(event: { index: number; text: string; clientCommand?: ClientCommand }): void;
  onEnded(reason: string): void;
  onError(error: ApiError): void;
}

/** POST /:id/speak with `Accept: text/event-stream`, until `avatar.done` (or the stream ends). */
export async function speakToAvatar(id: string, content: string, handlers: SpeakHandlers, signal?: AbortSignal): Promise<void> {
  const token = await freshAccessToken();
  const response = await fetch(`/api/v1/avatar/sessions/${id}/speak`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream', 'Idempotency-Key': crypto.randomUUID(), ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ content }),
    signal,
  });
  if (!response.ok) throw await ApiError.fromResponse(response);
  let finished = false;
  const parser = createParser({
    onEvent(event) {
      const data = JSON.parse(event.data) as Record<string, unknown>;
      if (event.event === 'avatar.speaking') handlers.onSpeaking(data as never);
      else if (event.event === 'avatar.ended') handlers.onEnded(String(data.reason ?? 'ended'));
      else if (event.event === 'avatar.error' || event.event === 'error') handlers.onError(ApiError.fromEnvelope(502, data));
      else if (event.event === 'avatar.done') finished = true;
    },
  });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  while (!finished) {
    const { value, done } = await reader.read();
    if (done) break;
    parser.feed(value);
  }
  if (finished) await reader.cancel().catch(() => undefined);
}
