import { useEffect, type ReactNode } from 'react';
import { ErrorBoundary } from './components/ErrorBoundary';
import { Layout } from './components/Layout';
import { ErrorState, Loading } from './components/States';
import { allowed } from './lib/permissions';
import { Router, useRouter } from './lib/router';
import { PUBLIC_ROUTES, resolveOrgRoute } from './lib/screens';
import { SessionProvider, shouldProbe, useSession } from './lib/session';
import { AcceptInvitationPage } from './pages/AcceptInvitationPage';
import { AccountPage } from './pages/AccountPage';
import { ApiKeysPage } from './pages/ApiKeysPage';
import { AtsConnectPage } from './pages/AtsConnectPage';
import { AtsConnectionPage } from './pages/AtsConnectionPage';
import { AtsPage } from './pages/AtsPage';
import { AuditPage } from './pages/AuditPage';
import { HomePage } from './pages/HomePage';
import { InvitationsPage } from './pages/InvitationsPage';
import { ItemPage } from './pages/ItemEditorPage';
import { LibraryPage } from './pages/LibraryPage';
import { LlmSettingsPage } from './pages/LlmSettingsPage';
import { ReviewItemPage, ReviewQueuePage } from './pages/ReviewQueuePage';
import { TemplateBuilderPage } from './pages/TemplateBuilderPage';
import { TemplateProposalPage } from './pages/TemplateProposalPage';
import { JobDetailPage } from './pages/JobDetailPage';
import { JobPipelinePage } from './pages/JobPipelinePage';
import { JobsPage } from './pages/JobsPage';
import { LoginPage } from './pages/LoginPage';
import { MailboxPage } from './pages/MailboxPage';
import { MembersPage } from './pages/MembersPage';
import { NoAccessPage, NoOrgPage } from './pages/NoAccessPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { OrganizationsPage } from './pages/OrganizationsPage';
import { ResetPage } from './pages/ResetPage';
import { SettingsPage } from './pages/SettingsPage';
import { SignupPage } from './pages/SignupPage';
import { SsoPage } from './pages/SsoPage';
import { StatusPage } from './pages/StatusPage';

/// Keyed by screen route or sub-screen pattern (lib/screens.ts).
const ORG_PAGES: Record<string, (params: Record<string, string>) => ReactNode> = {
  '/jobs': () => <JobsPage />,
  '/jobs/:job': (p) => <JobDetailPage jobId={p.job} />,
  '/jobs/:job/pipeline': (p) => <JobPipelinePage jobId={p.job} />,
  '/jobs/:job/template': (p) => <TemplateBuilderPage jobId={p.job} />,
  '/jobs/:job/template/propose': (p) => <TemplateProposalPage jobId={p.job} />,
  '/library': () => <LibraryPage />,
  '/library/new': () => <ItemPage itemId={null} />,
  '/library/llm-settings': () => <LlmSettingsPage />,
  '/library/:item': (p) => <ItemPage itemId={p.item} />,
  '/review': () => <ReviewQueuePage />,
  '/review/:item': (p) => <ReviewItemPage itemId={p.item} />,
  '/integrations': () => <AtsPage />,
  '/integrations/connect': () => <AtsConnectPage />,
  '/integrations/:connection': (p) => <AtsConnectionPage connectionId={p.connection} />,
  '/members': () => <MembersPage />,
  '/invitations': () => <InvitationsPage />,
  '/api-keys': () => <ApiKeysPage />,
  '/sso': () => <SsoPage />,
  '/settings': () => <SettingsPage />,
  '/audit': () => <AuditPage />,
  '/mailbox': () => <MailboxPage />,
};

/// Private pages: the session must be known; signed out shows the sign-in form in place.
function RequireSession({ children }: { children: ReactNode }) {
  const { state, refresh } = useSession();
  if (state.status === 'loading') return <Loading label="Checking your session…" />;
  if (state.status === 'error') return <ErrorState title="Could not check your session" message={state.message} onRetry={refresh} />;
  if (state.status === 'anonymous') return <LoginPage inline />;
  return <>{children}</>;
}

/// Org-scoped pages: an active organization and a role that holds the screen's action.
function OrgScreen({ route }: { route: string }) {
  const { activeOrg, role } = useSession();
  const screen = resolveOrgRoute(route)!;
  if (!activeOrg) return <NoOrgPage />;
  if (!allowed(role, screen.action)) return <NoAccessPage what={screen.what} orgName={activeOrg.name} role={activeOrg.role} />;
  // Keyed by org: switching organizations starts the page afresh.
  return <ErrorBoundary key={activeOrg.id}>{ORG_PAGES[screen.key](screen.params)}</ErrorBoundary>;
}

/// /login and /signup when already signed in: go to the start page (or ?next=).
function GuestOnly({ children }: { children: ReactNode }) {
  const { state } = useSession();
  const { navigate, search } = useRouter();
  const signedIn = state.status === 'authenticated';
  useEffect(() => {
    if (!signedIn) return;
    const next = new URLSearchParams(search).get('next');
    navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/', { replace: true });
  }, [signedIn, navigate, search]);
  if (state.status === 'loading') return <Loading label="Checking your session…" />;
  return signedIn ? null : <>{children}</>;
}

function Routes() {
  const { route } = useRouter();
  let page: ReactNode;
  switch (route) {
    case '/':
      page = <HomePage />;
      break;
    case '/status':
      page = <StatusPage />;
      break;
    case '/organizations':
      page = <OrganizationsPage />;
      break;
    case '/login':
      page = (
        <GuestOnly>
          <LoginPage />
        </GuestOnly>
      );
      break;
    case '/signup':
      page = (
        <GuestOnly>
          <SignupPage />
        </GuestOnly>
      );
      break;
    case '/reset':
    case '/password-reset':
      page = <ResetPage />;
      break;
    case '/accept-invitation':
      page = <AcceptInvitationPage />;
      break;
    case '/account':
      page = (
        <RequireSession>
          <AccountPage />
        </RequireSession>
      );
      break;
    default:
      if (resolveOrgRoute(route)) {
        page = (
          <RequireSession>
            <OrgScreen route={route} />
          </RequireSession>
        );
      } else {
        page = <NotFoundPage route={route} />;
      }
  }
  // Keyed by route so a page that crashed gets a fresh boundary after navigating away.
  return <ErrorBoundary key={route}>{page}</ErrorBoundary>;
}

/// The session provider probes GET /api/v1/session for private routes (and public ones when a
/// session is likely): see lib/session.tsx.
function WithSession({ children }: { children: ReactNode }) {
  const { route } = useRouter();
  const isPublic = PUBLIC_ROUTES.has(route) || route === '/password-reset' || !(resolveOrgRoute(route) || route === '/account');
  return <SessionProvider probe={shouldProbe(isPublic)}>{children}</SessionProvider>;
}

export function App() {
  return (
    <Router>
      <WithSession>
        <Layout>
          <Routes />
        </Layout>
      </WithSession>
    </Router>
  );
}
