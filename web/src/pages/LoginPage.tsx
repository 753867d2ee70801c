import { useState, type FormEvent } from 'react';
import { Field, FormError, SubmitActions, useAction } from '../components/Forms';
import { CurrentPasswordField } from '../components/PasswordFields';
import * as accounts from '../lib/accounts';
import { ProblemError } from '../lib/http';
import { Link, useRouter } from '../lib/router';
import { useSession } from '../lib/session';

/// What `?sso_error=<reason>` (from GET /api/v1/sso/callback) means. Unknown reasons are shown
/// as they are.
const SSO_ERRORS: Record<string, string> = {
  // The reasons http/routes/sso_routes.cpp sends.
  idp_error: 'Your identity provider refused or cancelled the sign-in.',
  invalid_request: 'The sign-in answer from your identity provider was incomplete. Try again.',
  invalid_state: 'The sign-in took too long or was started in another browser. Try again.',
  invalid: 'Your identity provider sent a sign-in we could not verify. Try again, or ask your admin.',
  not_allowed: 'Your account is not allowed to sign in to this organization (e.g. its e-mail domain is not allowed).',
  not_configured: 'Single sign-on is not set up for this organization.',
  rate_limited: 'Too many sign-in attempts. Wait a minute and try again.',
  unavailable: 'Your identity provider or hirewire is not reachable right now. Try again shortly.',
  failed: 'Single sign-on failed. Try again, or ask your admin.',
};

export function ssoErrorText(reason: string): string {
  return SSO_ERRORS[reason] ?? `Single sign-on failed (${reason}).`;
}

export function LoginPage({ inline = false }: { inline?: boolean }) {
  const { route, search, navigate } = useRouter();
  const { signedIn, state } = useSession();
  const params = new URLSearchParams(search);
  const ssoError = params.get('sso_error');
  const next = params.get('next');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [ssoOpen, setSsoOpen] = useState(!!ssoError);
  const [slug, setSlug] = useState('');
  const { busy, error, run } = useAction();
  const [ssoRequired, setSsoRequired] = useState(false);

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setSsoRequired(false);
    const s = await run(async () => {
      try {
        return await accounts.login(email.trim(), password);
      } catch (err) {
        if (err instanceof ProblemError && err.status === 403) {
          setSsoRequired(true);
          setSsoOpen(true);
        }
        throw err;
      }
    });
    if (!s) return;
    signedIn(s);
    // Inline on a private page: that page renders now. On /login: go where the person wanted.
    if (!inline) navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/', { replace: true });
  };

  const expired = state.status === 'anonymous' && state.reason === 'expired';

  return (
    <section className="narrow">
      <h1 className="page-title">Sign in</h1>
      {inline && route !== '/login' && (
        <p className="lede">{expired ? 'Your session has ended. Sign in again to continue.' : 'Sign in to continue.'}</p>
      )}
      {ssoError && (
        <div className="notice notice--error" role="alert">
          <strong>Single sign-on failed.</strong> {ssoErrorText(ssoError)}
        </div>
      )}
      <form className="panel form" onSubmit={onSubmit} aria-label="Sign in with password">
        <Field label="E-mail" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
        <CurrentPasswordField value={password} onValue={setPassword} />
        <FormError error={error} />
        {ssoRequired && <p className="muted">Your organization requires single sign-on: use “Continue with SSO” below.</p>}
        <SubmitActions
          busy={busy}
          busyText="Signing in…"
          extra={
            <Link to="/reset" className="link">
              Forgot your password?
            </Link>
          }
        >
          Sign in
        </SubmitActions>
      </form>

      <div className="panel form">
        {!ssoOpen ? (
          <button type="button" className="button button--ghost" onClick={() => setSsoOpen(true)}>
            Continue with SSO
          </button>
        ) : (
          // A plain GET form: the browser goes to /api/v1/sso/start?org=<slug>, which redirects to
          // the identity provider.
          <form method="get" action="/api/v1/sso/start" aria-label="Continue with SSO">
            <Field
              label="Organization"
              name="org"
              required
              autoFocus={!ssoError}
              pattern="[a-z0-9]+(-[a-z0-9]+)*"
              title="The organization's short name (slug): lower-case letters, digits and dashes"
              hint="Your organization's short name, as in the sign-in link your admin gave you."
              value={slug}
              onChange={(e) => setSlug(e.target.value.trim().toLowerCase())}
            />
            <SubmitActions>Continue with SSO</SubmitActions>
          </form>
        )}
      </div>

      <p className="muted">
        New to hirewire? <Link to="/signup">Create an organization</Link>
      </p>
    </section>
  );
}
