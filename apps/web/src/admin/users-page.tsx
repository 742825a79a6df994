import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { body } from '../api/client';
import type { Page, Role, UserView } from '../api/types';
import { useAuth } from '../auth/auth-context';
import { ErrorText } from '../layout/error-text';

const ROLES: Role[] = ['staff', 'admin', 'owner'];

export function UsersPage() {
  const { api, session } = useAuth();
  const queryClient = useQueryClient();
  const users = useQuery({ queryKey: ['users'], queryFn: () => body<Page<UserView>>(api.GET('/api/v1/users')) });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['users'] });
  const [form, setForm] = useState({ name: '', email: '', role: 'staff' as Role, password: '' });
  const [created, setCreated] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: () => api.POST('/api/v1/users', { body: form }),
    onSuccess: async () => {
      setCreated(form.email);
      setForm({ name: '', email: '', role: 'staff', password: '' });
      await refresh();
    },
  });
  const update = useMutation({
    mutationFn: (input: { id: string; role?: Role; active?: boolean }) => api.PATCH('/api/v1/users/{id}', { params: { path: { id: input.id } }, body: { role: input.role, active: input.active } }),
    onSuccess: refresh,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setCreated(null);
    create.mutate();
  };
  // Only owners make owners (the api says so too); offer what the caller may give.
  const assignable = session?.user.role === 'owner' ? ROLES : ROLES.filter((r) => r !== 'owner');

  return (
    <section className="page">
      <h1>Users</h1>
      <form className="card form-grid" onSubmit={submit} aria-label="Create user">
        <h2>Create a user</h2>
        <label>
          Name
          <input required value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} autoComplete="off" />
        </label>
        <label>
          Email
          <input required type="email" value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} autoComplete="off" />
        </label>
        <label>
          Role
          <select value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })}>
            {assignable.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <label>
          Initial password
          <input required type="password" minLength={12} value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} autoComplete="new-password" />
        </label>
        <button type="submit" disabled={create.isPending}>
          Create user
        </button>
        <ErrorText error={create.error} />
        {created && <p role="status">Created {created}. Give them the initial password to sign in.</p>}
      </form>
      <ErrorText error={users.error ?? update.error} />
      <div className="table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Status</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {users.data?.items.map((u) => (
              <tr key={u.id}>
                <th scope="row">{u.name}</th>
                <td>{u.email}</td>
                <td>
                  <select
                    aria-label={`Role of ${u.email}`}
                    value={u.role}
                    disabled={u.id === session?.user.id || !u.active}
                    onChange={(e) => update.mutate({ id: u.id, role: e.target.value as Role })}
                  >
                    {(assignable.includes(u.role) ? assignable : [u.role, ...assignable]).map((r) => (
                      <option key={r} value={r}>
                        {r}
                      </option>
                    ))}
                  </select>
                </td>
                <td>{u.active ? 'Active' : 'Deactivated'}</td>
                <td>
                  {u.active && u.id !== session?.user.id && (
                    <button type="button" onClick={() => update.mutate({ id: u.id, active: false })} aria-label={`Deactivate ${u.email}`}>
                      Deactivate
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
