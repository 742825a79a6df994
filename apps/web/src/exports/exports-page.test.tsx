import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ExportView } from '../api/types';
import { envelope, fakeApi, json } from '../test/fake-api';
import { renderApp, signedIn } from '../test/render-app';

/** The gateway as the page sees it: connect, exports.subscribe with its ack, then export.progress. */
const socket = vi.hoisted(() => {
  const listeners = new Map<string, ((payload: unknown) => void)[]>();
  return {
    emitted: [] as string[],
    on(event: string, listener: (payload: unknown) => void) {
      listeners.set(event, [...(listeners.get(event) ?? []), listener]);
      if (event === 'connect') queueMicrotask(() => listener(undefined));
    },
    emit(event: string, _payload: unknown, ack?: (r: unknown) => void) {
      this.emitted.push(event);
      ack?.({ subscribed: true, scope: 'dealership' });
    },
    disconnect() {},
    push(event: string, payload: unknown) {
      for (const listener of listeners.get(event) ?? []) listener(payload);
    },
    reset() {
      listeners.clear();
      this.emitted = [];
    },
  };
});
vi.mock('../realtime/realtime-socket', () => ({ connectRealtime: () => socket }));

const exportRow = (id: string, overrides: Partial<ExportView> = {}): ExportView => ({
  id, kind: 'conversation', format: 'pdf', status: 'queued', progress: 0, sizeBytes: null, expiresAt: '2026-01-08T00:00:00.000Z', error: null,
  createdAt: '2026-01-01T00:00:00.000Z', conversationId: 'c1', from: null, to: null, requestedBy: 'u1', ...overrides,
});

describe('exports', () => {
  beforeEach(() => socket.reset());
  afterEach(() => vi.restoreAllMocks());

  it('exports a conversation from the chat in the chosen format', async () => {
    signedIn('staff');
    const api = fakeApi({
      'GET /api/v1/conversations': () => json(200, { items: [], nextCursor: null }),
      'GET /api/v1/conversations/c1': () =>
        json(200, { id: 'c1', title: 'Warranty', createdAt: '', updatedAt: '', userId: 'u1', messages: [{ id: 'q1', role: 'user', content: 'Hi', citations: [], status: 'complete', createdAt: '' }] }),
      'POST /api/v1/conversations/c1/exports': () => json(202, exportRow('e1', { format: 'docx' })),
    });
    renderApp('/chat/c1');
    await userEvent.selectOptions(await screen.findByLabelText('Export format'), 'DOCX');
    await userEvent.click(screen.getByRole('button', { name: 'Export' }));
    expect(await screen.findByText(/Export started/)).toBeInTheDocument();
    const [request] = api.route('POST /api/v1/conversations/c1/exports');
    expect(await request.json()).toEqual({ format: 'docx' });
    expect(request.headers.get('Idempotency-Key')).toMatch(/^[0-9a-f-]{36}$/);
    expect(screen.getByRole('link', { name: 'See Exports' })).toHaveAttribute('href', '/exports');
  });

  it('lists exports live, downloads a ready one with the bearer token, shows 410 as expired and deletes', async () => {
    signedIn('admin');
    const stored = [exportRow('e1'), exportRow('e2', { kind: 'usage', format: 'csv', status: 'ready', progress: 100, sizeBytes: 2048, from: '2026-01-01', to: '2026-01-30' })];
    let expired = false;
    const api = fakeApi({
      'GET /api/v1/exports': () => json(200, { items: stored, nextCursor: null }),
      'GET /api/v1/exports/e1/download': () =>
        expired
          ? envelope(410, 'EXPORT_EXPIRED', 'This export has expired; ask for it again.')
          : new Response('%PDF-1.7', { status: 200, headers: { 'Content-Type': 'application/pdf', 'Content-Disposition': `attachment; filename="Warranty.pdf"; filename*=UTF-8''Warranty%20%C3%A9.pdf` } }),
      'DELETE /api/v1/exports/e2': () => {
        stored.splice(1, 1);
        return new Response(null, { status: 204 });
      },
    });
    const saved: { href: string; download: string }[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      saved.push({ href: this.href, download: this.download });
    });
    const blobs: Blob[] = [];
    URL.createObjectURL = vi.fn((blob: Blob) => {
      blobs.push(blob);
      return 'blob:http://localhost/1';
    });
    URL.revokeObjectURL = vi.fn();
    renderApp('/exports');

    const conversationRow = (await screen.findByRole('rowheader', { name: 'Conversation (PDF)' })).closest('tr')!;
    expect(within(conversationRow).getByText('Queued')).toBeInTheDocument();
    expect(screen.getByRole('rowheader', { name: 'Usage report 2026-01-01 – 2026-01-30 (CSV)' })).toBeInTheDocument();
    expect(new URL(api.route('GET /api/v1/exports')[0].url).searchParams.get('scope')).toBe('dealership');
    await waitFor(() => expect(socket.emitted).toContain('exports.subscribe'));

    // React Query hands cache updates to React on its next tick, hence the waits.
    act(() => socket.push('export.progress', { exportId: 'e1', requestedBy: 'u1', status: 'processing', progress: 40, sizeBytes: null, error: null }));
    await waitFor(() => expect(within(conversationRow).getByRole('progressbar', { name: 'Conversation (PDF) progress' })).toHaveAttribute('value', '40'));
    act(() => socket.push('export.progress', { exportId: 'e1', requestedBy: 'u1', status: 'ready', progress: 100, sizeBytes: 8, error: null }));
    await waitFor(() => expect(within(conversationRow).getByText(/^Ready until/)).toBeInTheDocument());
    expect(within(conversationRow).getByText('8 B')).toBeInTheDocument();

    await userEvent.click(within(conversationRow).getByRole('button', { name: 'Download Conversation (PDF)' }));
    await waitFor(() => expect(saved).toEqual([{ href: 'blob:http://localhost/1', download: 'Warranty é.pdf' }]));
    expect(await blobs[0].text()).toBe('%PDF-1.7');
    expect(api.route('GET /api/v1/exports/e1/download')[0].headers.get('Authorization')).toBe('Bearer access-1');

    expired = true;
    await userEvent.click(within(conversationRow).getByRole('button', { name: 'Download Conversation (PDF)' }));
    expect(await within(conversationRow).findByText('Expired')).toBeInTheDocument();
    expect(within(conversationRow).queryByRole('button', { name: /Download/ })).not.toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Delete Usage report 2026-01-01 – 2026-01-30 (CSV)' }));
    await waitFor(() => expect(screen.queryByRole('rowheader', { name: /Usage report/ })).not.toBeInTheDocument());
    expect(api.route('DELETE /api/v1/exports/e2')).toHaveLength(1);
  });

  it('lets owners and admins request a report with kind, range and format', async () => {
    signedIn('owner');
    const api = fakeApi({
      'GET /api/v1/exports': () => json(200, { items: [], nextCursor: null }),
      'POST /api/v1/reports': () => json(202, exportRow('r1', { kind: 'knowledge-gaps' })),
    });
    renderApp('/exports');
    const form = await screen.findByRole('form', { name: 'Request report' });
    await userEvent.selectOptions(within(form).getByLabelText('Report'), 'Knowledge gaps');
    await userEvent.type(within(form).getByLabelText('From'), '2026-01-01');
    await userEvent.type(within(form).getByLabelText('To'), '2026-01-31');
    await userEvent.selectOptions(within(form).getByLabelText('Format'), 'DOCX');
    await userEvent.click(within(form).getByRole('button', { name: 'Request report' }));
    expect(await screen.findByText(/Report requested/)).toBeInTheDocument();
    expect(await api.route('POST /api/v1/reports')[0].json()).toEqual({ kind: 'knowledge-gaps', from: '2026-01-01', to: '2026-01-31', format: 'docx' });
  });

  it('shows staff their own exports without the reports form, and the api error in words', async () => {
    signedIn('staff');
    const api = fakeApi({ 'GET /api/v1/exports': () => envelope(403, 'FORBIDDEN', 'API keys cannot use exports.') });
    renderApp('/exports');
    expect(await screen.findByRole('alert')).toHaveTextContent('API keys cannot use exports.');
    expect(screen.queryByRole('form', { name: 'Request report' })).not.toBeInTheDocument();
    expect(new URL(api.route('GET /api/v1/exports')[0].url).searchParams.get('scope')).toBeNull();
  });
});
