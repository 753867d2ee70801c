import { useEffect, useState, type FormEvent } from 'react';
import { Field, FormError, SubmitActions, formatDate, tokenFromUrl, useAction } from '../components/Forms';
import { CurrentPasswordField, NewPasswordField } from '../components/PasswordFields';
import { ErrorState, Loading } from '../components/States';
import * as accounts from '../lib/accounts';
import type { InvitationPreview } from '../lib/accounts';
import { errorText, ProblemError } from '../lib/http';
import { roleLabel } from '../lib/permissions';
import { Link, useRouter } from '../lib/router';
import { useSession } from '../lib/session';

type View =
  | { kind: 'no_token' }
  | { kind: 'loading' }
  | { kind: 'invalid'; message: string }
  | { kind: 'error'; message: string }
  | { kind: 'ready'; preview: InvitationPreview };

/// /accept-invitation#token=...: preview the invitation, then create the account (name + new
/// password) or confirm the existing one (its password); the answer signs the person in.
export function AcceptInvitationPage() {
  const { search, hash, navigate } = useRouter();
  const token = tokenFromUrl(search, hash);
  const { signedIn } = useSession();
  const [view, setView] = useState<View>(token ? { kind: 'loading' } : { kind: 'no_token' });
  const [attempt, setAttempt] = useState(0);
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, run } = useAction();

  useEffect(() => {
    if (!token) {
      setView({ kind: 'no_token' });
      return;
    }
    let live = true;
    setView({ kind: 'loading' });
    accounts.previewInvitation(token).then(
      (preview) => live && setView({ kind: 'ready', preview }),
      (e: unknown) => {
        if (!live) return;
        if (e instanceof ProblemError && (e.status === 401 || e.status === 404 || e.status === 410)) {
          setView({ kind: 'invalid', message: errorText(e) });
        } else {
          setView({ kind: 'error', message: errorText(e) });
        }
      },
    );
    return () => {
      live = false;
    };
  }, [token, attempt]);

  if (view.kind === 'no_token' || view.kind === 'invalid') {
    return (
      <section className="narrow">
        <h1 className="page-title">Join your team</h1>
        <div className="state state--error" role="alert">
          <h2>This invitation link does not work</h2>
          <p>It may have expired, been revoked or already been used. Ask the person who invited you to send it again.</p>
          {view.kind === 'invalid' && <p className="muted">{view.message}</p>}
        </div>
      </section>
    );
  }
  if (view.kind === 'loading') return <Loading label="Checking your invitation…" />;
  if (view.kind === 'error') {
    return <ErrorState title="Could not check the invitation" message={view.message} onRetry={() => setAttempt((n) => n + 1)} />;
  }

  const { preview } = view;
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const s = await run(async () => {
      let session = await accounts.acceptInvitation(
        token!,
        password,
        preview.account_exists ? undefined : displayName.trim(),
      );
      // Land in the organization that invited the person.
      const joined = session.orgs.find((o) => o.slug === preview.org_slug);
      if (joined && session.active_org !== joined.id) {
        session = await accounts.switchOrg(joined.id).catch(() => session);
      }
      return session;
    });
    if (!s) return;
    signedIn(s);
    navigate('/', { replace: true });
  };

  return (
    <section className="narrow">
      <h1 className="page-title">Join {preview.org_name}</h1>
      <div className="panel panel--empty">
        <p>
          You have been invited to <strong>{preview.org_name}</strong> as <strong>{roleLabel(preview.role)}</strong>.
        </p>
        <dl className="facts">
          <dt>E-mail</dt>
          <dd data-testid="invited-email">{preview.email}</dd>
          <dt>Invitation expires</dt>
          <dd>{formatDate(preview.expires_at)}</dd>
        </dl>
      </div>
      <form className="panel form" onSubmit={onSubmit} aria-label="Accept the invitation">
        {preview.account_exists ? (
          <>
            <p className="muted">
              You already have a hirewire account for {preview.email}. Enter its password to join.
            </p>
            <CurrentPasswordField value={password} onValue={setPassword} />
            <p className="muted">
              <Link to="/reset">Forgot your password?</Link>
            </p>
          </>
        ) : (
          <>
            <Field label="Your name" autoComplete="name" required value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
            <NewPasswordField label="Choose a password" value={password} onValue={setPassword} />
          </>
        )}
        <FormError error={error} />
        <SubmitActions busy={busy} busyText="Joining…">
          Accept invitation
        </SubmitActions>
      </form>
    </section>
  );
}
