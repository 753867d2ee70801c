import { useState, type ReactNode } from 'react';
import * as accounts from '../lib/accounts';
import { errorText } from '../lib/http';
import { allowed, roleLabel } from '../lib/permissions';
import { Link, useRouter } from '../lib/router';
import { ORG_SCREENS } from '../lib/screens';
import { useSession } from '../lib/session';

const NAV = [
  { to: '/status', label: 'Status' },
  { to: '/organizations', label: 'Organizations' },
];

/// The header's organization switcher: PUT /api/v1/session/org, then every org-scoped page
/// reloads for the new organization (they key on its id).
function OrgSwitcher() {
  const { session, activeOrg, switchOrg } = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!session || session.orgs.length === 0 || !activeOrg) return null;
  if (session.orgs.length === 1) {
    return (
      <span className="org-current" title={`${activeOrg.name} (${roleLabel(activeOrg.role)})`}>
        {activeOrg.name}
      </span>
    );
  }
  return (
    <div className="org-switcher">
      <label htmlFor="org-switcher" className="sr-only">
        Active organization
      </label>
      <select
        id="org-switcher"
        value={activeOrg.id}
        disabled={busy}
        onChange={async (e) => {
          const id = e.target.value;
          setBusy(true);
          setError(null);
          try {
            await switchOrg(id);
          } catch (err) {
            setError(errorText(err));
          } finally {
            setBusy(false);
          }
        }}
      >
        {session.orgs.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name} · {roleLabel(o.role)}
          </option>
        ))}
      </select>
      <span role="alert" className="org-switcher__error">
        {error}
      </span>
    </div>
  );
}

function UserMenu() {
  const { session, signedOut } = useSession();
  const { navigate } = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!session) {
    return (
      <div className="usermenu">
        <Link to="/login" className="nav__link">
          Sign in
        </Link>
      </div>
    );
  }
  const signOut = async () => {
    setBusy(true);
    setError(null);
    try {
      await accounts.logout();
    } catch (e) {
      // A 401 means the session had already ended: signed out either way.
      if (!(e instanceof Error && 'status' in e && (e as { status?: number }).status === 401)) {
        setError(errorText(e));
        setBusy(false);
        return;
      }
    }
    setBusy(false);
    signedOut('signed_out');
    navigate('/login', { replace: true });
  };
  return (
    <div className="usermenu">
      <Link to="/account" className="nav__link" title={session.user.email}>
        {session.user.display_name || session.user.email}
      </Link>
      <button type="button" className="button button--small button--ghost" disabled={busy} onClick={signOut}>
        {busy ? 'Signing out…' : 'Sign out'}
      </button>
      <span role="alert" className="org-switcher__error">
        {error}
      </span>
    </div>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const { session, activeOrg, role } = useSession();
  const orgScreens = session && activeOrg ? ORG_SCREENS.filter((s) => allowed(role, s.action)) : [];
  return (
    <div className="shell">
      <header className="topbar">
        <div className="topbar__inner">
          <Link to="/" className="brand" aria-label="hirewire home">
            <span className="brand__mark" aria-hidden="true">
              h
            </span>
            <span className="brand__name">hirewire</span>
          </Link>
          <nav aria-label="Main" className="nav">
            {NAV.map((item) => (
              <Link key={item.to} to={item.to} className="nav__link">
                {item.label}
              </Link>
            ))}
          </nav>
          <div className="topbar__end">
            <OrgSwitcher />
            <UserMenu />
          </div>
        </div>
        {orgScreens.length > 0 && (
          <div className="subbar">
            <nav aria-label="Organization" className="nav subbar__inner">
              {orgScreens.map((s) => (
                <Link key={s.route} to={s.route} className="nav__link">
                  {s.label}
                </Link>
              ))}
            </nav>
          </div>
        )}
      </header>
      <main className="content">{children}</main>
      <footer className="footer">hirewire · AI interviews for employers</footer>
    </div>
  );
}
