import { Link } from '../lib/router';

/// "Sign in" and "Create an organization" for a signed-out visitor.
export function SignInCta({ loginTo = '/login' }: { loginTo?: string }) {
  return (
    <div className="cta">
      <Link to={loginTo} className="button">
        Sign in
      </Link>
      <Link to="/signup" className="button button--ghost">
        Create an organization
      </Link>
    </div>
  );
}
