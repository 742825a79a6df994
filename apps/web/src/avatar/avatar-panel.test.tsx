import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { envelope, fakeApi, json, sse } from '../test/fake-api';
import { renderApp, signedIn } from '../test/render-app';

/** LiveKit cannot connect here: the room records what the panel joins and publishes. */
const room = vi.hoisted(() => ({ joined: [] as { url: string; token: string }[], published: [] as unknown[], left: 0 }));
vi.mock('./avatar-room', () => ({
  joinAvatarRoom: async (url: string, token: string) => {
    room.joined.push({ url, token });
    return {
      publish: async (payload: unknown) => void room.published.push(payload),
      leave: async () => void (room.left += 1),
    };
  },
}));

const session = { id: 's1', provider: 'liveavatar', mode: 'full', status: 'active', conversationId: 'c1', livekitUrl: 'wss://room.livekit.example', livekitToken: 'lk-token', expiresAt: '', endReason: null };
const command = (text: string) => ({ topic: 'agent-control', payload: { event_id: text, event_type: 'avatar.speak_text', session_id: 'vendor-1', text } });

function avatarApi(routes: Parameters<typeof fakeApi>[0] = {}) {
  return fakeApi({
    'GET /api/v1/conversations': () => json(200, { items: [], nextCursor: null }),
    'GET /api/v1/conversations/c1': () => json(200, { id: 'c1', title: 'W', createdAt: '', updatedAt: '', userId: 'u1', messages: [] }),
    'POST /api/v1/avatar/sessions': () => json(201, session),
    'POST /api/v1/avatar/sessions/s1/keep-alive': () => json(200, session),
    'DELETE /api/v1/avatar/sessions/s1': () => json(200, { ...session, status: 'ended', endReason: 'client' }),
    ...routes,
  });
}

describe('avatar panel', () => {
  beforeEach(() => Object.assign(room, { joined: [], published: [], left: 0 }));
  afterEach(() => vi.useRealTimers());

  it('says the avatar is not configured when the api answers 503 AVATAR_NOT_CONFIGURED', async () => {
    signedIn('staff');
    avatarApi({ 'POST /api/v1/avatar/sessions': () => envelope(503, 'AVATAR_NOT_CONFIGURED', 'No avatar provider is configured (AVATAR_PROVIDER).') });
    renderApp('/chat/c1');
    await userEvent.click(await screen.findByRole('button', { name: 'Start avatar' }));
    expect(await screen.findByText(/The avatar is not configured\. No avatar provider is configured/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Start avatar' })).not.toBeInTheDocument();
    expect(room.joined).toEqual([]);
  });

  it('shows a 429 quota refusal in words and lets the user try again', async () => {
    signedIn('staff');
    avatarApi({ 'POST /api/v1/avatar/sessions': () => envelope(429, 'AVATAR_QUOTA_EXCEEDED', 'The dealership has used its avatar minutes this month.', [{ field: 'monthlyMinutes', message: 'limit 600' }]) });
    renderApp('/chat/c1');
    await userEvent.click(await screen.findByRole('button', { name: 'Start avatar' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('The dealership has used its avatar minutes this month. monthlyMinutes: limit 600');
    expect(screen.getByRole('button', { name: 'Start avatar' })).toBeInTheDocument();
  });

  it('starts a session in the conversation, joins its room, relays FULL mode commands while speaking, keeps alive, interrupts and ends', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    signedIn('staff');
    const api = avatarApi({
      'POST /api/v1/avatar/sessions/s1/speak': () =>
        sse([
          { id: 'a1:1', event: 'token', data: { delta: 'Five years. ' } },
          { event: 'avatar.speaking', data: { index: 0, text: 'Five years.', clientCommand: command('Five years.') } },
          { event: 'avatar.speaking', data: { index: 1, text: 'Or 60,000 miles.', clientCommand: command('Or 60,000 miles.') } },
          { event: 'avatar.done', data: { sentences: 2, stopped: false } },
        ]),
      'POST /api/v1/avatar/sessions/s1/interrupt': () => json(200, { interrupted: true, clientCommand: { topic: 'agent-control', payload: { event_type: 'avatar.interrupt', session_id: 'vendor-1' } } }),
    });
    renderApp('/chat/c1');
    await userEvent.click(await screen.findByRole('button', { name: 'Start avatar' }));
    const panel = screen.getByRole('complementary', { name: 'Avatar' });
    await userEvent.type(await within(panel).findByLabelText('Ask the avatar'), 'How long is the warranty?');
    expect(await api.route('POST /api/v1/avatar/sessions')[0].json()).toEqual({ conversationId: 'c1' });
    expect(room.joined).toEqual([{ url: 'wss://room.livekit.example', token: 'lk-token' }]);

    await userEvent.click(within(panel).getByRole('button', { name: 'Ask' }));
    expect(await within(panel).findByText('Five years. Or 60,000 miles.')).toBeInTheDocument();
    expect(room.published).toEqual([command('Five years.').payload, command('Or 60,000 miles.').payload]);
    const [speak] = api.route('POST /api/v1/avatar/sessions/s1/speak');
    expect(speak.headers.get('Accept')).toBe('text/event-stream');
    expect(await speak.json()).toEqual({ content: 'How long is the warranty?' });
    // The answer is stored in the conversation: the thread reads it again.
    await waitFor(() => expect(api.route('GET /api/v1/conversations/c1').length).toBeGreaterThan(1));

    await act(async () => {
      vi.advanceTimersByTime(30_000);
    });
    // vi.waitFor: Testing Library's waitFor polls with the (faked) setInterval, and a fetch changes no DOM.
    await vi.waitFor(() => expect(api.route('POST /api/v1/avatar/sessions/s1/keep-alive')).toHaveLength(1));

    await userEvent.click(within(panel).getByRole('button', { name: 'End avatar' }));
    expect(await within(panel).findByText('The avatar session ended: you ended it.')).toBeInTheDocument();
    expect(api.route('DELETE /api/v1/avatar/sessions/s1')).toHaveLength(1);
    expect(room.left).toBe(1);
  });

  it('relays the interrupt command and ends the session with a keepalive request on pagehide', async () => {
    signedIn('staff');
    let release: () => void = () => undefined;
    const api = avatarApi({
      // A speak that stays open until the test lets it finish, so Interrupt is enabled.
      'POST /api/v1/avatar/sessions/s1/speak': () =>
        new Promise<Response>((resolve) => {
          release = () => resolve(sse([{ event: 'avatar.interrupted', data: {} }, { event: 'avatar.done', data: { sentences: 0, stopped: true } }]));
        }),
      'POST /api/v1/avatar/sessions/s1/interrupt': () => json(200, { interrupted: true, clientCommand: { topic: 'agent-control', payload: { event_type: 'avatar.interrupt', session_id: 'vendor-1' } } }),
    });
    renderApp('/chat/c1');
    await userEvent.click(await screen.findByRole('button', { name: 'Start avatar' }));
    const panel = screen.getByRole('complementary', { name: 'Avatar' });
    await userEvent.type(await within(panel).findByLabelText('Ask the avatar'), 'Is rust covered?');
    await userEvent.click(within(panel).getByRole('button', { name: 'Ask' }));
    await userEvent.click(within(panel).getByRole('button', { name: 'Interrupt' }));
    await waitFor(() => expect(room.published).toEqual([{ event_type: 'avatar.interrupt', session_id: 'vendor-1' }]));
    release();
    await waitFor(() => expect(within(panel).getByRole('button', { name: 'Interrupt' })).toBeDisabled());

    window.dispatchEvent(new Event('pagehide'));
    await waitFor(() => expect(api.route('DELETE /api/v1/avatar/sessions/s1')).toHaveLength(1));
    const [ending] = api.route('DELETE /api/v1/avatar/sessions/s1');
    expect(ending.keepalive).toBe(true);
    expect(ending.headers.get('Authorization')).toBe('Bearer access-1');
  });

  it('shows why the api ended a session when a keep-alive answers 409 AVATAR_SESSION_ENDED', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    signedIn('staff');
    avatarApi({
      'POST /api/v1/avatar/sessions/s1/keep-alive': () => envelope(409, 'AVATAR_SESSION_ENDED', 'The avatar session has ended.'),
      'GET /api/v1/avatar/sessions/s1': () => json(200, { ...session, status: 'ended', endReason: 'idle' }),
    });
    renderApp('/chat/c1');
    await userEvent.click(await screen.findByRole('button', { name: 'Start avatar' }));
    await screen.findByLabelText('Ask the avatar');
    await act(async () => {
      vi.advanceTimersByTime(30_000);
    });
    expect(await screen.findByText('The avatar session ended: it was idle too long.')).toBeInTheDocument();
    expect(room.left).toBe(1);
  });
});
