import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { DocumentView } from '../api/types';
import { envelope, fakeApi, json } from '../test/fake-api';
import { renderApp, signedIn } from '../test/render-app';

/** The gateway as the page sees it: connect, documents.subscribe with an ack, then document.progress events. */
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
      ack?.({ ok: true, subscribed: true });
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

const doc = (id: string, title: string, overrides: Partial<DocumentView> = {}): DocumentView => ({
  id, title, status: 'queued', progress: 0, mimeType: 'text/plain', sizeBytes: 2048, chunkCount: 0, error: null, createdAt: '2026-01-01T00:00:00.000Z', ...overrides,
});

function documentsApi() {
  const stored: DocumentView[] = [];
  const api = fakeApi({
    'GET /api/v1/documents': () => json(200, { items: stored, nextCursor: null }),
    'POST /api/v1/documents': async (request) => {
      const file = (await request.formData()).get('file') as File;
      if (file.name.endsWith('.exe')) return envelope(415, 'UNSUPPORTED_MEDIA_TYPE', 'This file type is not supported: upload PDF, DOCX, XLSX, CSV, HTML, Markdown or text.');
      const created = doc(file.name, file.name);
      stored.unshift(created);
      return json(202, created);
    },
  });
  return { api, stored };
}

describe('documents', () => {
  beforeEach(() => socket.reset());

  it('uploads several files through the Upload picker and moves each bar live to ready or failed with the reason', async () => {
    signedIn('admin');
    const { api } = documentsApi();
    renderApp('/documents');
    const input = await screen.findByLabelText('Upload');
    await userEvent.upload(input, [new File(['warranty'], 'warranty.md', { type: 'text/markdown' }), new File(['faq'], 'faq.txt', { type: 'text/plain' })]);

    expect(await screen.findByRole('row', { name: /warranty\.md/ })).toHaveTextContent('Queued');
    expect(screen.getByRole('row', { name: /faq\.txt/ })).toBeInTheDocument();
    expect(api.route('POST /api/v1/documents')).toHaveLength(2);
    expect(socket.emitted).toContain('documents.subscribe');
    expect(await screen.findByText('Progress is live.')).toBeInTheDocument();

    const warranty = () => screen.getByRole('row', { name: /warranty\.md/ });
    act(() => socket.push('document.progress', { documentId: 'warranty.md', status: 'processing', progress: 40, chunkCount: 0, error: null }));
    // React Query hands cache updates to React on its next tick.
    await waitFor(() => expect(warranty()).toHaveTextContent('Processing'));
    expect(within(warranty()).getByRole('progressbar', { name: 'warranty.md progress' })).toHaveAttribute('value', '40');
    act(() => socket.push('document.progress', { documentId: 'warranty.md', status: 'ready', progress: 100, chunkCount: 3, error: null }));
    await waitFor(() => expect(warranty()).toHaveTextContent('Ready'));
    expect(within(warranty()).getAllByRole('cell')[1]).toHaveTextContent('3');
    act(() => socket.push('document.progress', { documentId: 'faq.txt', status: 'failed', progress: 10, chunkCount: 0, error: 'The file is encrypted; upload it without a password.' }));
    await waitFor(() => expect(screen.getByRole('row', { name: /faq\.txt/ })).toHaveTextContent('Failed'));
    expect(screen.getByRole('row', { name: /faq\.txt/ })).toHaveTextContent('The file is encrypted; upload it without a password.');
  });

  it('takes dropped files and says in words why one was refused', async () => {
    signedIn('owner');
    documentsApi();
    renderApp('/documents');
    const zone = await screen.findByTestId('drop-zone');
    fireEvent.drop(zone, { dataTransfer: { files: [new File(['x'], 'tool.exe'), new File(['price'], 'prices.csv', { type: 'text/csv' })] } });

    expect(await screen.findByText(/This file type is not supported/)).toBeInTheDocument();
    expect(await screen.findByRole('row', { name: /prices\.csv/ })).toBeInTheDocument();
  });

  it('keeps staff out of the knowledge admin: no Documents link, the page sends them to chat', async () => {
    signedIn('staff');
    fakeApi({ 'GET /api/v1/conversations': () => json(200, { items: [], nextCursor: null }) });
    renderApp('/documents');
    expect(await screen.findByLabelText('Message')).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Documents' })).not.toBeInTheDocument();
  });
});
