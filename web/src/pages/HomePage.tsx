import { SignInCta } from '../components/SignInCta';
import { allowed, roleLabel } from '../lib/permissions';
import { Link } from '../lib/router';
import { ORG_SCREENS } from '../lib/screens';
import { useSession } from '../lib/session';

export function HomePage() {
  const { session, activeOrg, role } = useSession();
  return (
    <section>
      <h1 className="page-title">Welcome to hirewire</h1>
      {session ? (
        <p className="lede">
          Signed in as <strong>{session.user.display_name}</strong>
          {activeOrg && (
            <>
              {' '}
              · {activeOrg.name} ({roleLabel(activeOrg.role)})
            </>
          )}
          .
        </p>
      ) : (
        <>
          <p className="lede">
            Connect your applicant tracking system, approve interview content and invite candidates.
          </p>
          <SignInCta />
        </>
      )}
      <div className="cards">
        {session &&
          activeOrg &&
          ORG_SCREENS.filter((s) => allowed(role, s.action)).map((s) => (
            <Link key={s.route} to={s.route} className="card">
              <h2>{s.label}</h2>
              <p>{s.blurb}</p>
            </Link>
          ))}
        <Link to="/status" className="card">
          <h2>Status</h2>
          <p>Is the server ready? Database, migrations and background supervisors.</p>
        </Link>
        <Link to="/organizations" className="card">
          <h2>Organizations</h2>
          <p>{session ? 'Your organizations, and switching between them.' : 'The organizations hosted on this server.'}</p>
        </Link>
      </div>
    </section>
  );
}
