import { useState, type FormEvent } from 'react';
import { BusyButton, FormError, FormStatus, SubmitActions, useAction } from '../components/Forms';
import { CurrentPasswordField, NewPasswordPair, usePasswordPair } from '../components/PasswordFields';
import * as accounts from '../lib/accounts';
import { roleLabel } from '../lib/permissions';
import { useRouter } from '../lib/router';
import { useSession } from '../lib/session';

/// The signed-in person: profile, change password, sign out (here / everywhere).
export function AccountPage() {
  const { session, signedOut } = useSession();
  const { navigate } = useRouter();
  const [current, setCurrent] = useState('');
  const pair = usePasswordPair();
  const [status, setStatus] = useState<string | null>(null);
  const pw = useAction();
  const out = useAction();
  if (!session) return null;

  const onChange = async (e: FormEvent) => {
    e.preventDefault();
    setStatus(null);
    if (!pair.matches) {
      pw.setError('The two new passwords do not match.');
      return;
    }
    const ok = await pw.run(async () => {
      await accounts.changePassword(current, pair.password);
      return true;
    });
    if (!ok) return;
    setCurrent('');
    pair.clear();
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
        <CurrentPasswordField label="Current password" value={current} onValue={setCurrent} />
        <NewPasswordPair pair={pair} />
        <FormError error={pw.error} />
        <FormStatus message={status} />
        <SubmitActions busy={pw.busy} busyText="Saving…">
          Change password
        </SubmitActions>
      </form>

      <div className="panel form">
        <h2 className="form__title">Sessions</h2>
        <p className="muted">Signed in on another computer you no longer use? End every session of your account, this one included.</p>
        <FormError error={out.error} />
        <div className="form__actions">
          <BusyButton className="button button--danger" busy={out.busy} busyText="Signing out…" onClick={everywhere}>
            Sign out everywhere
          </BusyButton>
        </div>
      </div>
    </section>
  );
}
