import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { body } from '../api/client';
import type { AssistantSettingsView } from '../api/types';
import { useAuth } from '../auth/auth-context';
import { ErrorText } from '../layout/error-text';

const MAX = 4000;

export function SettingsPage() {
  const { api } = useAuth();
  const queryClient = useQueryClient();
  const settings = useQuery({ queryKey: ['assistant-settings'], queryFn: () => body<AssistantSettingsView>(api.GET('/api/v1/assistant-settings')) });
  const [prompt, setPrompt] = useState('');
  useEffect(() => {
    if (settings.data) setPrompt(settings.data.systemPrompt);
  }, [settings.data]);
  const save = useMutation({
    mutationFn: (systemPrompt: string | null) => body<AssistantSettingsView>(api.PUT('/api/v1/assistant-settings', { body: { systemPrompt } })),
    onSuccess: (view) => queryClient.setQueryData(['assistant-settings'], view),
  });
  return (
    <section className="page">
      <h1>Assistant settings</h1>
      <form
        className="card"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate(prompt);
        }}
      >
        <label htmlFor="system-prompt">System prompt</label>
        <p className="muted" id="system-prompt-help">
          How the assistant speaks for this dealership. The grounding rules (answer only from the documents, cite sources) always apply after it.
        </p>
        <textarea id="system-prompt" aria-describedby="system-prompt-help" rows={10} maxLength={MAX} value={prompt} onChange={(e) => setPrompt(e.target.value)} />
        <p className="muted">
          {prompt.length} / {MAX} characters{settings.data?.isDefault ? ' · the built-in prompt is in use' : ''}
        </p>
        <div className="row">
          <button type="submit" disabled={save.isPending}>
            Save prompt
          </button>
          <button type="button" onClick={() => save.mutate(null)} disabled={save.isPending || settings.data?.isDefault}>
            Use the built-in prompt
          </button>
        </div>
        {save.isSuccess && <p role="status">Saved.</p>}
        <ErrorText error={settings.error ?? save.error} />
      </form>
    </section>
  );
}
