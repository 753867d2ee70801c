import { useState, type FormEvent } from 'react';
import { Field, FormError, FormStatus, SubmitActions, tokenFromUrl, useAction } from '../components/Forms';
import { NewPasswordPair, usePasswordPair } from '../components/PasswordFields';
import * as accounts from '../lib/accounts';
import { ProblemError } from '../lib/http';
import { Link, useRouter } from '../lib/router';

/// /reset: "send me a link" form. /reset#token=... (or ?token=...): choose a new password.
export function ResetPage() {
  const { search, hash } = useRouter();
  const token = tokenFromUrl(search, hash);
  return token ? <ResetConfirm token={token} /> : <ResetRequest />;
}

function ResetRequest() {
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState(false);
  const { busy, error, run } = useAction();
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const ok = await run(async () => {
      await accounts.requestPasswordReset(email.trim());
      return true;
    });
    if (ok) setSent(true);
  };
  return (
    <section className="narrow">
      <h1 className="page-title">Reset your password</h1>
      {sent ? (
        <div className="panel panel--empty" role="status">
          <p>
            If an account exists for <strong>{email.trim()}</strong>, we have sent it a link to choose a new password.
            The link works once and for 30 minutes.
          </p>
          <Link to="/login" className="button">
            Back to sign in
          </Link>
        </div>
      ) : (
        <form className="panel form" onSubmit={onSubmit} aria-label="Request a password reset">
          <p className="muted">Enter the e-mail address of your account and we will send you a link.</p>
          <Field label="E-mail" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
          <FormError error={error} />
          <SubmitActions
            busy={busy}
            busyText="Sending…"
            extra={
              <Link to="/login" className="link">
                Back to sign in
              </Link>
            }
          >
            Send reset link
          </SubmitActions>
        </form>
      )}
    </section>
  );
}

function ResetConfirm({ token }: { token: string }) {
  const pair = usePasswordPair();
  const [done, setDone] = useState(false);
  const [badToken, setBadToken] = useState(false);
  const { busy, error, setError, run } = useAction();
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (!pair.matches) {
      setError('The two passwords do not match.');
      return;
    }
    const ok = await run(async () => {
      try {
        await accounts.confirmPasswordReset(token, pair.password);
      } catch (err) {
        if (err instanceof ProblemError && err.status === 401) setBadToken(true);
        throw err;
      }
      return true;
    });
    if (ok) setDone(true);
  };
  return (
    <section className="narrow">
      <h1 className="page-title">Choose a new password</h1>
      {done ? (
        <div className="panel panel--empty">
          <FormStatus message="Your password has been changed. Every session of your account has been signed out." />
          <Link to="/login" className="button">
            Sign in
          </Link>
        </div>
      ) : (
        <form className="panel form" onSubmit={onSubmit} aria-label="Choose a new password">
          <NewPasswordPair pair={pair} />
          <FormError error={error} title={badToken ? 'This reset link is invalid, used or expired.' : undefined} />
          {badToken && (
            <p>
              <Link to="/reset">Request a new link</Link>
            </p>
          )}
          <SubmitActions busy={busy} busyText="Saving…">
            Set new password
          </SubmitActions>
        </form>
      )}
    </section>
  );
}
