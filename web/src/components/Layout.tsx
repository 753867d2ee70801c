import { useState, type ReactNode } from 'react';
import { BusyButton } from './Forms';
import * as accounts from '../lib/accounts';
import { errorText } from '../lib/http';
import { allowed, roleLabel } from '../lib/permissions';
import { Link, useRouter } from '../lib/router';
import { ORG_SCREENS } from '../lib/screens';
import { useSession } from '../lib/session';

/// A labelled row of navigation links. A link is current on its route and on the pages below it
/// ("/jobs" on "/jobs/42").
function NavLinks({ label, className, links }: { label: string; className: string; links: { to: string; label: string }[] }) {
  const { route } = useRouter();
  return (
    <nav aria-label={label} className={className}>
      {links.map((item) => (
        <Link
          key={item.to}
          to={item.to}
          className="nav__link"
          aria-current={route === item.to || route.startsWith(item.to + '/') ? 'page' : undefined}
        >
          {item.label}
        </Link>
      ))}
    </nav>
  );
}

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
      <BusyButton className="button button--small button--ghost" busy={busy} busyText="Signing out…" onClick={signOut}>
        Sign out
      </BusyButton>
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
          <NavLinks label="Main" className="nav" links={NAV} />
          <div className="topbar__end">
            <OrgSwitcher />
            <UserMenu />
          </div>
        </div>
        {orgScreens.length > 0 && (
          <div className="subbar">
            <NavLinks
              label="Organization"
              className="nav subbar__inner"
              links={orgScreens.map((s) => ({ to: s.route, label: s.label }))}
            />
          </div>
        )}
      </header>
      <main className="content">{children}</main>
      <footer className="footer">hirewire · AI interviews for employers</footer>
    </div>
  );
}
