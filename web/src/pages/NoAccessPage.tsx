import { roleLabel } from '../lib/permissions';
import { Link } from '../lib/router';

export function NoAccessPage({ what, orgName, role }: { what: string; orgName: string; role: string }) {
  return (
    <section>
      <h1 className="page-title">You don't have access</h1>
      <div className="panel panel--empty" role="alert" data-testid="no-access">
        <p>
          Your role in <strong>{orgName}</strong> is <strong>{roleLabel(role)}</strong>, which cannot open {what}.
        </p>
        <p className="muted">If you need it, ask an owner or admin of {orgName} to change your role.</p>
        <Link to="/" className="button">
          Go to the start page
        </Link>
      </div>
    </section>
  );
}

export function NoOrgPage() {
  return (
    <section>
      <h1 className="page-title">No organization</h1>
      <div className="panel panel--empty">
        <p>You are not a member of any organization any more.</p>
        <p className="muted">Ask a teammate to invite you again, or create a new organization.</p>
        <Link to="/signup" className="button">
          Create an organization
        </Link>
      </div>
    </section>
  );
}
