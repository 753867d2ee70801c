import { useState, type FormEvent } from 'react';
import { Field, FormError, FormStatus, SubmitButton, useAction } from '../components/Forms';
import * as accounts from '../lib/accounts';
import { roleLabel } from '../lib/permissions';
import { useRouter } from '../lib/router';
import { useSession } from '../lib/session';

/// The signed-in person: profile, change password, sign out (here / everywhere).
export function AccountPage() {
  const { session, signedOut } = useSession();
  const { navigate } = useRouter();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [status, setStatus] = useState<string | null>(null);
  const pw = useAction();
  const out = useAction();
  if (!session) return null;

  const onChange = async (e: FormEvent) => {
    e.preventDefault();
    setStatus(null);
    if (next !== repeat) {
      pw.setError('The two new passwords do not match.');
      return;
    }
    const ok = await pw.run(async () => {
      await accounts.changePassword(current, next);
      return true;
    });
    if (!ok) return;
    setCurrent('');
    setNext('');
    setRepeat('');
    setStatus('Password changed. Your other sessions have been signed out.');
  };

  const everywhere = async () => {
    const ok = await out.run(async () => {
      await accounts.logoutEverywhere();
      return true;
    });
    if (!ok) return;
    signedOut('signed_out');
    navigate('/login', { replace: true });
  };

  return (
    <section className="narrow">
      <h1 className="page-title">Your account</h1>
      <div className="panel panel--empty">
        <dl className="facts">
          <dt>Name</dt>
          <dd>{session.user.display_name}</dd>
          <dt>E-mail</dt>
          <dd>{session.user.email}</dd>
          <dt>Organizations</dt>
          <dd>{session.orgs.map((o) => `${o.name} (${roleLabel(o.role)})`).join(', ') || '—'}</dd>
        </dl>
      </div>

      <form className="panel form" onSubmit={onChange} aria-label="Change password">
        <h2 className="form__title">Change password</h2>
        <Field
          label="Current password"
          type="password"
          autoComplete="current-password"
          required
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
        />
        <Field
          label="New password"
          type="password"
          autoComplete="new-password"
          required
          minLength={12}
          hint="At least 12 characters. Common passwords are refused."
          value={next}
          onChange={(e) => setNext(e.target.value)}
        />
        <Field
          label="Repeat the new password"
          type="password"
          autoComplete="new-password"
          required
          value={repeat}
          onChange={(e) => setRepeat(e.target.value)}
        />
        <FormError error={pw.error} />
        <FormStatus message={status} />
        <div className="form__actions">
          <SubmitButton busy={pw.busy} busyText="Saving…">
            Change password
          </SubmitButton>
        </div>
      </form>

      <div className="panel form">
        <h2 className="form__title">Sessions</h2>
        <p className="muted">Signed in on another computer you no longer use? End every session of your account, this one included.</p>
        <FormError error={out.error} />
        <div className="form__actions">
          <button type="button" className="button button--danger" disabled={out.busy} onClick={everywhere}>
            {out.busy ? 'Signing out…' : 'Sign out everywhere'}
          </button>
        </div>
      </div>
    </section>
  );
}
