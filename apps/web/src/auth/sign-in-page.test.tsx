import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { envelope, fakeApi, json } from '../test/fake-api';
import { renderApp } from '../test/render-app';
import { readSession } from './session-store';

const session = {
  accessToken: 'a1',
  refreshToken: 'r1',
  expiresIn: 900,
  user: { id: 'u1', email: 'dana@northside.example', name: 'Dana Owner', role: 'owner', active: true, createdAt: '2026-01-01T00:00:00.000Z' },
  dealership: { id: 'd1', name: 'Northside Motors' },
};

describe('sign in', () => {
  it('signs in with the labelled fields, keeps the session and opens the console with a Documents link for an owner', async () => {
    const api = fakeApi({ 'POST /api/v1/auth/login': () => json(200, session), 'GET /api/v1/conversations': () => json(200, { items: [], nextCursor: null }) });
    renderApp('/');
    await userEvent.type(await screen.findByLabelText('Email'), 'dana@northside.example');
    await userEvent.type(screen.getByLabelText('Password'), 'correct horse battery staple');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByRole('link', { name: 'Documents' })).toBeInTheDocument();
    expect(await api.route('POST /api/v1/auth/login')[0].json()).toEqual({ email: 'dana@northside.example', password: 'correct horse battery staple' });
    expect(readSession()).toMatchObject({ accessToken: 'a1', refreshToken: 'r1', user: { email: 'dana@northside.example' } });
    expect(screen.getByLabelText('Message')).toBeInTheDocument();
  });

  it("shows the api's refusal in words and stays on the form (keyboard only)", async () => {
    fakeApi({ 'POST /api/v1/auth/login': () => envelope(401, 'INVALID_CREDENTIALS', 'Wrong email or password.') });
    renderApp('/sign-in');
    await userEvent.click(await screen.findByLabelText('Email'));
    await userEvent.keyboard('dana@northside.example');
    await userEvent.tab();
    await userEvent.keyboard('not the password{Enter}');

    expect(await screen.findByRole('alert')).toHaveTextContent('Wrong email or password.');
    expect(readSession()).toBeNull();
  });

  it('lists every field problem of a 422 and says so when the api is unreachable', async () => {
    const api = fakeApi({
      'POST /api/v1/auth/register': () => envelope(422, 'VALIDATION_FAILED', 'The request is not valid.', [{ field: 'password', message: 'is too common' }]),
    });
    renderApp('/register');
    await userEvent.type(await screen.findByLabelText('Dealership name'), 'Northside Motors');
    await userEvent.type(screen.getByLabelText('Your name'), 'Dana');
    await userEvent.type(screen.getByLabelText('Email'), 'dana@northside.example');
    await userEvent.type(screen.getByLabelText('Password'), 'password1234');
    await userEvent.click(screen.getByRole('button', { name: 'Create dealership' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('The request is not valid. password: is too common');

    api.fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch'));
    await userEvent.click(screen.getByRole('button', { name: 'Create dealership' }));
    await waitFor(() => expect(screen.getByRole('alert')).toHaveTextContent('Cannot reach Showroom'));
  });
});
