import { lazy, Suspense, type ReactNode } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { ApiKeysPage } from './admin/api-keys-page';
import { SettingsPage } from './admin/settings-page';
import { UsersPage } from './admin/users-page';
import { isAdmin, useAuth } from './auth/auth-context';
import { RegisterPage } from './auth/register-page';
import { SignInPage } from './auth/sign-in-page';
import { ChatPage } from './chat/chat-page';
import { ExportsPage } from './exports/exports-page';
import { DocumentsPage } from './knowledge/documents-page';
import { ConsoleLayout } from './layout/console-layout';

// The chart library is most of the bundle; only admins opening Usage download it.
const UsagePage = lazy(() => import('./admin/usage-page').then((m) => ({ default: m.UsagePage })));

function SignedIn({ children }: { children: ReactNode }) {
  const { session } = useAuth();
  return session ? children : <Navigate to="/sign-in" replace />;
}

function AdminOnly({ children }: { children: ReactNode }) {
  const { session } = useAuth();
  return isAdmin(session) ? children : <Navigate to="/chat" replace />;
}

export function App() {
  const { session } = useAuth();
  return (
    <Routes>
      <Route path="/sign-in" element={session ? <Navigate to="/chat" replace /> : <SignInPage />} />
      <Route path="/register" element={session ? <Navigate to="/chat" replace /> : <RegisterPage />} />
      <Route
        element={
          <SignedIn>
            <ConsoleLayout />
          </SignedIn>
        }
      >
        <Route path="/chat" element={<ChatPage />} />
        <Route path="/chat/:conversationId" element={<ChatPage />} />
        <Route path="/exports" element={<ExportsPage />} />
        <Route path="/documents" element={<AdminOnly><DocumentsPage /></AdminOnly>} />
        <Route path="/users" element={<AdminOnly><UsersPage /></AdminOnly>} />
        <Route path="/api-keys" element={<AdminOnly><ApiKeysPage /></AdminOnly>} />
        <Route path="/settings" element={<AdminOnly><SettingsPage /></AdminOnly>} />
        <Route path="/usage" element={<AdminOnly><Suspense fallback={<p role="status">Loading…</p>}><UsagePage /></Suspense></AdminOnly>} />
      </Route>
      <Route path="*" element={<Navigate to={session ? '/chat' : '/sign-in'} replace />} />
    </Routes>
  );
}
