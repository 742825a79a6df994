import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { body } from '../api/client';
import type { ApiKeyView, CreatedApiKey, Page } from '../api/types';
import { useAuth } from '../auth/auth-context';
import { CopyButton } from '../chat/copy-button';
import { ErrorText } from '../layout/error-text';
import { formatDate } from '../knowledge/format';

export function ApiKeysPage() {
  const { api } = useAuth();
  const queryClient = useQueryClient();
  const keys = useQuery({ queryKey: ['api-keys'], queryFn: () => body<Page<ApiKeyView>>(api.GET('/api/v1/api-keys')) });
  const [name, setName] = useState('');
  const [shown, setShown] = useState<CreatedApiKey | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['api-keys'] });
  const create = useMutation({
    // The OpenAPI document does not list CreateApiKeyDto's `name` yet (no @ApiProperty), hence the cast.
    mutationFn: () => body<CreatedApiKey>(api.POST('/api/v1/api-keys', { body: { name } as unknown as Record<string, never> })),
    onSuccess: async (key) => {
      setShown(key);
      setName('');
      await refresh();
    },
  });
  const revoke = useMutation({ mutationFn: (id: string) => api.DELETE('/api/v1/api-keys/{id}', { params: { path: { id } } }), onSuccess: refresh });
  const items = keys.data?.items ?? [];

  return (
    <section className="page">
      <h1>API keys</h1>
      <p className="muted">Keys let integrations and OpenAI clients (base URL /v1) use this dealership's assistant.</p>
      <form
        className="card form-row"
        aria-label="Create API key"
        onSubmit={(e) => {
          e.preventDefault();
          setShown(null);
          create.mutate();
        }}
      >
        <label>
          Key name
          <input required maxLength={120} value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <button type="submit" disabled={create.isPending}>
          Create key
        </button>
      </form>
      <ErrorText error={create.error ?? keys.error ?? revoke.error} />
      {shown && (
        <div className="card key-once" role="status">
          <p>
            <strong>Copy this key now: it is shown only once.</strong>
          </p>
          <code className="secret">{shown.key}</code>
          <div className="row">
            <CopyButton text={shown.key} />
            <button type="button" onClick={() => setShown(null)}>
              I have stored it
            </button>
          </div>
        </div>
      )}
      <div className="table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Prefix</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {items.map((k) => (
              <tr key={k.id}>
                <th scope="row">{k.name}</th>
                <td>
                  <code>{k.prefix}…</code>
                </td>
                <td>{formatDate(k.createdAt)}</td>
                <td>{k.lastUsedAt ? formatDate(k.lastUsedAt) : 'Never'}</td>
                <td>
                  {k.revokedAt ? (
                    `Revoked ${formatDate(k.revokedAt)}`
                  ) : (
                    <button type="button" onClick={() => revoke.mutate(k.id)} aria-label={`Revoke ${k.name}`}>
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
