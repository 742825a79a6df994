import { NavLink, Outlet, useNavigate } from 'react-router';
import { isAdmin, useAuth } from '../auth/auth-context';

export function ConsoleLayout() {
  const { session, signOut } = useAuth();
  const navigate = useNavigate();
  const admin = isAdmin(session);
  return (
    <div className="console">
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">Showroom</span>
        <nav aria-label="Main">
          <NavLink to="/chat">Chat</NavLink>
          <NavLink to="/exports">Exports</NavLink>
          {admin && (
            <>
              <NavLink to="/documents">Documents</NavLink>
              <NavLink to="/users">Users</NavLink>
              <NavLink to="/api-keys">API keys</NavLink>
              <NavLink to="/settings">Settings</NavLink>
              <NavLink to="/usage">Usage</NavLink>
            </>
          )}
        </nav>
        <span className="who">
          {session?.user.name} · {session?.dealership.name}
        </span>
        <button
          type="button"
          onClick={() => {
            void signOut().then(() => navigate('/sign-in'));
          }}
        >
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
