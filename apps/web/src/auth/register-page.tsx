import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { useAuth } from './auth-context';
import { ErrorText } from '../layout/error-text';

/** Registers a dealership and its owner; when the deployment turned registration off, the api's 403 says so here. */
export function RegisterPage() {
  const { register } = useAuth();
  const navigate = useNavigate();
  const [form, setForm] = useState({ dealershipName: '', name: '', email: '', password: '' });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const field = (key: keyof typeof form) => ({ value: form[key], onChange: (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value }) });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await register(form);
      await navigate('/documents');
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="auth-page">
      <form className="card auth-card" onSubmit={(e) => void submit(e)} aria-labelledby="register-title">
        <h1 id="register-title">Register a dealership</h1>
        <label>
          Dealership name
          <input required {...field('dealershipName')} />
        </label>
        <label>
          Your name
          <input required autoComplete="name" {...field('name')} />
        </label>
        <label>
          Email
          <input type="email" required autoComplete="username" {...field('email')} />
        </label>
        <label>
          Password
          <input type="password" required minLength={12} maxLength={128} autoComplete="new-password" aria-describedby="password-help" {...field('password')} />
        </label>
        <p id="password-help" className="muted">
          At least 12 characters; a passphrase works well.
        </p>
        <button type="submit" disabled={busy}>
          Create dealership
        </button>
        <ErrorText error={error} />
        <p className="muted">
          Already registered? <Link to="/sign-in">Sign in</Link>
        </p>
      </form>
    </main>
  );
}
