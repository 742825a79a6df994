import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { MessageView } from '../api/types';
import { fakeApi, json, sse } from '../test/fake-api';
import { renderApp, signedIn } from '../test/render-app';

const citation = { documentId: 'd1', documentTitle: 'Warranty terms', chunkId: 'k1', page: 2, snippet: 'The powertrain is covered for 5 years or 60,000 miles.' };
const message = (id: string, role: 'user' | 'assistant', content: string, citations = [citation]): MessageView => ({ id, role, content, citations, status: 'complete', createdAt: '2026-01-01T00:00:00.000Z' });

/** A conversation c1 whose stored messages are what the api has saved so far. */
function chatApi(answer: { content: string; citations: (typeof citation)[] }) {
  const stored: MessageView[] = [];
  const control = { failures: 0 };
  const api = fakeApi({
    'GET /api/v1/conversations': () => json(200, { items: stored.length ? [{ id: 'c1', title: 'How long?', createdAt: '', updatedAt: '', userId: 'u1' }] : [], nextCursor: null }),
    'POST /api/v1/conversations': () => json(201, { id: 'c1', title: null, createdAt: '' }),
    'GET /api/v1/conversations/c1': () => json(200, { id: 'c1', title: 'How long?', createdAt: '', updatedAt: '', userId: 'u1', messages: stored }),
    'POST /api/v1/conversations/c1/messages': async (request) => {
      if (control.failures > 0 && control.failures--) return json(503, { error: { code: 'SERVICE_BUSY', message: 'Too many answers at once; try again in a moment.' } });
      const { content } = (await request.json()) as { content: string };
      const done = message('a1', 'assistant', answer.content, answer.citations);
      stored.push(message('q1', 'user', content, []), done);
      const words = answer.content.split(/(?<= )/);
      return sse([
        ...words.map((delta, i) => ({ id: `a1:${i + 1}`, event: 'token', data: { delta } })),
        { id: `a1:${words.length + 1}`, event: 'citations', data: { citations: answer.citations } },
        { id: `a1:${words.length + 2}`, event: 'done', data: { message: done } },
      ]);
    },
    'POST /api/v1/messages/a1/feedback': () => json(200, { id: 'f1', messageId: 'a1', rating: 'up', comment: null, createdAt: '', updatedAt: '' }),
  });
  return Object.assign(api, { control });
}

describe('chat', () => {
  it('asks, shows the cited answer, opens the cited passage with its document and page, and takes feedback', async () => {
    signedIn('staff');
    const api = chatApi({ content: 'The powertrain is covered for 5 years [1].', citations: [citation] });
    renderApp('/chat');

    await userEvent.type(await screen.findByLabelText('Message'), 'How long is the powertrain warranty?');
    await userEvent.click(screen.getByRole('button', { name: 'Send' }));

    const source = await screen.findByRole('button', { name: 'Source 1: Warranty terms, page 2' });
    expect(screen.getByText(/The powertrain is covered for 5 years/)).toBeInTheDocument();
    expect(await api.route('POST /api/v1/conversations/c1/messages')[0].json()).toEqual({ content: 'How long is the powertrain warranty?' });

    await userEvent.click(source);
    const panel = screen.getByRole('dialog', { name: 'Source 1: Warranty terms' });
    expect(panel).toHaveTextContent('Page 2');
    expect(panel).toHaveTextContent('5 years or 60,000 miles');
    expect(panel).toHaveFocus();
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();

    await userEvent.click(await screen.findByRole('button', { name: 'Helpful' }));
    expect(await screen.findByText('Thanks for the feedback.')).toBeInTheDocument();
    expect(await api.route('POST /api/v1/messages/a1/feedback')[0].json()).toEqual({ rating: 'up' });
    expect(screen.getByRole('button', { name: 'Helpful' })).toHaveAttribute('aria-pressed', 'true');
  });

  it('shows an "I don\'t know" answer differently from an answer', async () => {
    signedIn('staff');
    chatApi({ content: "I don't know: I couldn't find anything about that in the dealership's documents.", citations: [] });
    renderApp('/chat');
    await userEvent.type(await screen.findByLabelText('Message'), 'What is the weather?{Enter}');

    const badge = await screen.findByText('Not in the documents');
    const item = badge.closest('li')!;
    expect(item).toHaveClass('unknown');
    expect(within(item).queryByRole('button', { name: /^Source/ })).not.toBeInTheDocument();
  });

  it('offers Retry with the error in words when the answer fails, and the retry asks again', async () => {
    signedIn('staff');
    const api = chatApi({ content: 'Five years [1].', citations: [citation] });
    api.control.failures = 1;
    renderApp('/chat');
    await userEvent.type(await screen.findByLabelText('Message'), 'How long?{Enter}');

    expect(await screen.findByText('Too many answers at once; try again in a moment.')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(screen.getByRole('button', { name: 'Source 1: Warranty terms, page 2' })).toBeInTheDocument());
    expect(api.route('POST /api/v1/conversations/c1/messages')).toHaveLength(2);
    expect(screen.queryByRole('button', { name: 'Retry' })).not.toBeInTheDocument();
  });
});
