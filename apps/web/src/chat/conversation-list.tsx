import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { NavLink, useNavigate } from 'react-router';
import { body } from '../api/client';
import type { ConversationSummary, Page } from '../api/types';
import { useAuth } from '../auth/auth-context';
import { ErrorText } from '../layout/error-text';

export function ConversationList({ activeId }: { activeId?: string }) {
  const { api } = useAuth();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const list = useQuery({ queryKey: ['conversations'], queryFn: () => body<Page<ConversationSummary>>(api.GET('/api/v1/conversations')) });
  const remove = useMutation({
    mutationFn: (id: string) => api.DELETE('/api/v1/conversations/{id}', { params: { path: { id } } }),
    onSuccess: async (_result, id) => {
      await queryClient.invalidateQueries({ queryKey: ['conversations'] });
      if (id === activeId) await navigate('/chat');
    },
  });
  return (
    <nav className="conversations" aria-label="Conversations">
      <button type="button" onClick={() => void navigate('/chat')}>
        New conversation
      </button>
      <ErrorText error={list.error ?? remove.error} />
      <ul>
        {list.data?.items.map((c) => (
          <li key={c.id}>
            <NavLink to={`/chat/${c.id}`}>{c.title ?? 'Untitled conversation'}</NavLink>
            <button type="button" className="icon" aria-label={`Delete conversation ${c.title ?? 'Untitled conversation'}`} onClick={() => remove.mutate(c.id)}>
              ✕
            </button>
          </li>
        ))}
      </ul>
      {list.data && list.data.items.length === 0 && <p className="muted">No conversations yet.</p>}
    </nav>
  );
}
