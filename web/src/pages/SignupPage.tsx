import { useState, type FormEvent } from 'react';
import { Field, FormError, SubmitActions, useAction } from '../components/Forms';
import { NewPasswordField } from '../components/PasswordFields';
import * as accounts from '../lib/accounts';
import { Link, useRouter } from '../lib/router';
import { useSession } from '../lib/session';

export function slugify(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
}

export function SignupPage() {
  const { navigate } = useRouter();
  const { signedIn } = useSession();
  const [orgName, setOrgName] = useState('');
  const [slug, setSlug] = useState('');
  const [slugTouched, setSlugTouched] = useState(false);
  const [displayName, setDisplayName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, run } = useAction();

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const s = await run(() =>
      accounts.signup({
        org_name: orgName.trim(),
        org_slug: slug,
        email: email.trim(),
        display_name: displayName.trim(),
        password,
      }),
    );
    if (!s) return;
    signedIn(s);
    navigate('/', { replace: true });
  };

  return (
    <section className="narrow">
      <h1 className="page-title">Create your organization</h1>
      <p className="lede">You will be its owner and can invite your team next.</p>
      <form className="panel form" onSubmit={onSubmit} aria-label="Sign up">
        <Field
          label="Organization name"
          required
          value={orgName}
          onChange={(e) => {
            setOrgName(e.target.value);
            if (!slugTouched) setSlug(slugify(e.target.value));
          }}
        />
        <Field
          label="Organization short name"
          required
          pattern="[a-z0-9]+(-[a-z0-9]+)*"
          hint="Lower-case letters, digits and dashes. Used for single sign-on."
          value={slug}
          onChange={(e) => {
            setSlugTouched(true);
            setSlug(e.target.value.toLowerCase());
          }}
        />
        <Field label="Your name" autoComplete="name" required value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
        <Field label="E-mail" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
        <NewPasswordField label="Password" value={password} onValue={setPassword} />
        <FormError error={error} />
        <SubmitActions busy={busy} busyText="Creating…">
          Create organization
        </SubmitActions>
      </form>
      <p className="muted">
        Already have an account? <Link to="/login">Sign in</Link>
      </p>
    </section>
  );
}
