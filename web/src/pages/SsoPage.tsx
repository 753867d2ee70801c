import { useEffect, useState, type FormEvent } from 'react';
import { Field, FormError, FormStatus, SubmitActions, useAction } from '../components/Forms';
import { LoadView } from '../components/Lists';
import { RoleSelect } from '../components/RoleSelect';
import * as accounts from '../lib/accounts';
import type { SsoSettings } from '../lib/accounts';
import { allowed, invitableRoles } from '../lib/permissions';
import { useActiveOrg } from '../lib/session';
import { useLoad } from '../lib/useLoad';

/// "example.com, Example.org\nfoo.io" -> ["example.com", "example.org", "foo.io"]
export function parseDomains(s: string): string[] {
  const out: string[] = [];
  for (const d of s.split(/[\s,;]+/)) {
    const v = d.trim().toLowerCase().replace(/^@/, '');
    if (v && !out.includes(v)) out.push(v);
  }
  return out;
}

/// Per-organization OpenID Connect settings (sso.read / sso.configure). The client secret is
/// write-only: the API only says whether one is set.
export function SsoPage() {
  const { org, role } = useActiveOrg();
  const { state, reload } = useLoad((signal) => accounts.getSso(org.id, signal), [org.id]);
  return (
    <section>
      <h1 className="page-title">Single sign-on</h1>
      <p className="lede">
        Let members of {org.name} sign in with your identity provider (OpenID Connect). They choose “Continue with SSO”
        on the sign-in page and enter <code>{org.slug}</code>.
      </p>
      <LoadView state={state} loading="Loading SSO settings…" errorTitle="Could not load the SSO settings" onRetry={reload}>
        {(sso) => <SsoForm key={org.id} orgId={org.id} initial={sso} role={role} readOnly={!allowed(role, 'sso.configure')} />}
      </LoadView>
    </section>
  );
}

function SsoForm({ orgId, initial, role, readOnly }: { orgId: string; initial: SsoSettings; role: string; readOnly: boolean }) {
  const [saved, setSaved] = useState(initial);
  const [enabled, setEnabled] = useState(initial.enabled);
  const [issuer, setIssuer] = useState(initial.issuer);
  const [clientId, setClientId] = useState(initial.client_id);
  const [replacing, setReplacing] = useState(!initial.client_secret_set);
  const [secret, setSecret] = useState('');
  const [domains, setDomains] = useState(initial.allowed_domains.join(', '));
  const [defaultRole, setDefaultRole] = useState(initial.default_role);
  const [required, setRequired] = useState(initial.sso_required);
  const [status, setStatus] = useState<string | null>(null);
  const { busy, error, run } = useAction();
  const roles = invitableRoles(role);

  useEffect(() => setReplacing(!saved.client_secret_set), [saved.client_secret_set]);

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setStatus(null);
    const body: accounts.SsoUpdate = {
      enabled,
      issuer: issuer.trim(),
      client_id: clientId.trim(),
      allowed_domains: parseDomains(domains),
      default_role: defaultRole,
      sso_required: required,
    };
    // Only sent when typed: an absent client_secret keeps the stored one.
    if (replacing && secret) body.client_secret = secret;
    const res = await run(() => accounts.putSso(orgId, body));
    if (!res) return;
    setSaved(res);
    setSecret('');
    setDomains(res.allowed_domains.join(', '));
    setStatus('SSO settings saved.');
  };

  return (
    <form className="panel form" onSubmit={onSubmit} aria-label="SSO settings">
      <div className="field field--check">
        <input id="sso-enabled" type="checkbox" checked={enabled} disabled={readOnly} onChange={(e) => setEnabled(e.target.checked)} />
        <label htmlFor="sso-enabled">Enable single sign-on</label>
      </div>
      <Field
        label="Issuer URL"
        type="url"
        placeholder="https://login.example.com"
        required={enabled}
        readOnly={readOnly}
        value={issuer}
        onChange={(e) => setIssuer(e.target.value)}
        hint="The OpenID Connect issuer; hirewire reads its .well-known/openid-configuration."
      />
      <Field label="Client ID" required={enabled} readOnly={readOnly} value={clientId} onChange={(e) => setClientId(e.target.value)} />
      <div className="field">
        <span className="field__label" id="sso-secret-label">
          Client secret
        </span>
        <div className="secret-state" aria-describedby="sso-secret-label">
          {saved.client_secret_set ? (
            <span className="badge badge--ok">Set</span>
          ) : (
            <span className="badge badge--muted">Not set</span>
          )}
          {saved.client_secret_set && !replacing && !readOnly && (
            <button type="button" className="button button--small button--ghost" onClick={() => setReplacing(true)}>
              Replace secret
            </button>
          )}
        </div>
        {replacing && !readOnly && (
          <>
            <label htmlFor="sso-secret" className="sr-only">
              {saved.client_secret_set ? 'New client secret' : 'Client secret'}
            </label>
            <input
              id="sso-secret"
              type="password"
              autoComplete="off"
              placeholder={saved.client_secret_set ? 'New client secret' : 'Client secret'}
              value={secret}
              onChange={(e) => setSecret(e.target.value)}
            />
            <div className="field__hint muted">
              Write-only: it is never shown again.{' '}
              {saved.client_secret_set && (
                <button
                  type="button"
                  className="link-button"
                  onClick={() => {
                    setReplacing(false);
                    setSecret('');
                  }}
                >
                  Keep the current secret
                </button>
              )}
            </div>
          </>
        )}
      </div>
      <div className="field">
        <label htmlFor="sso-domains">Allowed e-mail domains</label>
        <textarea
          id="sso-domains"
          rows={2}
          readOnly={readOnly}
          value={domains}
          onChange={(e) => setDomains(e.target.value)}
          aria-describedby="sso-domains-hint"
        />
        <div id="sso-domains-hint" className="field__hint muted">
          Comma-separated, e.g. <code>example.com, example.org</code>. Only these may sign in (and be added on their
          first sign-in).
        </div>
      </div>
      <RoleSelect
        id="sso-default-role"
        label="Role of new members"
        roles={roles.includes(defaultRole as never) ? roles : [defaultRole, ...roles]}
        value={defaultRole}
        disabled={readOnly}
        onValue={setDefaultRole}
      />
      <div className="field field--check">
        <input id="sso-required" type="checkbox" checked={required} disabled={readOnly} onChange={(e) => setRequired(e.target.checked)} />
        <label htmlFor="sso-required">Require SSO (members cannot sign in with a password)</label>
      </div>
      <FormError error={error} />
      <FormStatus message={status} />
      {!readOnly && (
        <SubmitActions busy={busy} busyText="Saving…">
          Save SSO settings
        </SubmitActions>
      )}
    </form>
  );
}
