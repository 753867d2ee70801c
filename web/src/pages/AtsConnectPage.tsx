import { useState, type FormEvent } from 'react';
import { BusyButton, Field, FormError, FormStatus, SubmitActions, useAction } from '../components/Forms';
import * as ats from '../lib/ats';
import type { AtsConnection, Vendor } from '../lib/ats';
import { Link, useRouter } from '../lib/router';
import { useActiveOrg } from '../lib/session';
import { CopyField, WebhookInstructions } from './AtsShared';

/// "Connect an ATS" (ats.connect): vendor, name and credentials; then the webhook URL and (for
/// Greenhouse) the generated webhook secret, shown exactly once, with where to paste them; then a
/// connection test. Nothing secret is stored in the browser: it lives in this page's state only.
export function AtsConnectPage() {
  const { org } = useActiveOrg();
  const { navigate } = useRouter();
  const [vendor, setVendor] = useState<Vendor>('greenhouse');
  const [name, setName] = useState('');
  const [creds, setCreds] = useState<Record<string, string>>({});
  const [minutes, setMinutes] = useState('60');
  const [created, setCreated] = useState<{ conn: AtsConnection; secret: string | null; leverKey: string | null } | null>(null);
  const form = useAction();
  const info = ats.vendorInfo(vendor)!;

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const credentials: Record<string, string> = {};
    for (const f of info.fields) {
      const v = (creds[`${vendor}.${f.key}`] ?? '').trim();
      if (v) credentials[f.key] = v;
    }
    const res = await form.run(() =>
      ats.createConnection(org.id, {
        vendor,
        name: name.trim() || info.label,
        credentials,
        settings: { sync_interval_minutes: Number(minutes) || 60 },
      }),
    );
    if (!res) return;
    setCreated({ conn: res.connection, secret: res.webhook_secret, leverKey: vendor === 'lever' ? (credentials.api_key ?? null) : null });
    setCreds({});
  };

  if (created) {
    return (
      <ConnectSuccess
        orgId={org.id}
        created={created}
        onConnection={(conn) => setCreated((c) => (c ? { ...c, conn } : c))}
        onDone={() => {
          setCreated(null);
          navigate('/integrations');
        }}
      />
    );
  }

  return (
    <section>
      <h1 className="page-title">Connect an ATS</h1>
      <p className="lede">
        hirewire reads jobs, candidates and applications from your applicant tracking system. Credentials are stored encrypted
        and are never shown again.
      </p>
      <form className="panel form" onSubmit={onSubmit} aria-label="Connect an ATS" autoComplete="off">
        <fieldset className="fieldset vendor-choice">
          <legend>Applicant tracking system</legend>
          {ats.VENDORS.map((v) => (
            <label key={v.id} className="vendor-choice__option">
              <input type="radio" name="vendor" value={v.id} checked={vendor === v.id} onChange={() => setVendor(v.id)} />
              {v.label}
            </label>
          ))}
        </fieldset>
        <Field label="Connection name" maxLength={100} placeholder={info.label} value={name} onChange={(e) => setName(e.target.value)} hint="How this connection is listed, e.g. “Greenhouse (EU)”." />
        {info.fields.map((f) => (
          <Field
            key={`${vendor}.${f.key}`}
            id={`connect-${vendor}-${f.key}`}
            label={f.label}
            type={f.secret ? 'password' : 'text'}
            autoComplete={f.secret ? 'new-password' : 'off'}
            spellCheck={false}
            required={f.required}
            value={creds[`${vendor}.${f.key}`] ?? ''}
            onChange={(e) => setCreds((c) => ({ ...c, [`${vendor}.${f.key}`]: e.target.value }))}
            hint={f.hint}
          />
        ))}
        <Field
          label="Sync every (minutes)"
          type="number"
          min={5}
          max={1440}
          required
          value={minutes}
          onChange={(e) => setMinutes(e.target.value)}
          hint="A full pull on this interval; webhooks bring changes in between."
        />
        <FormError error={form.error} />
        <SubmitActions
          busy={form.busy}
          busyText="Connecting…"
          extra={
            <Link to="/integrations" className="button button--ghost">
              Cancel
            </Link>
          }
        >
          Connect
        </SubmitActions>
      </form>
    </section>
  );
}

function ConnectSuccess({
  orgId,
  created,
  onConnection,
  onDone,
}: {
  orgId: string;
  created: { conn: AtsConnection; secret: string | null; leverKey: string | null };
  onConnection: (c: AtsConnection) => void;
  onDone: () => void;
}) {
  const { conn, secret, leverKey } = created;
  const test = useAction();
  const [result, setResult] = useState<{ ok: boolean; detail: string } | null>(null);
  const [token, setToken] = useState('');
  const tokenForm = useAction();
  const [tokenSaved, setTokenSaved] = useState<string | null>(null);

  const runTest = async () => {
    setResult(null);
    const r = await test.run(() => ats.testConnection(orgId, conn.id));
    if (!r) return;
    if (r.connection) onConnection(r.connection);
    setResult({ ok: r.ok, detail: r.detail });
  };

  const saveToken = async (e: FormEvent) => {
    e.preventDefault();
    setTokenSaved(null);
    if (!leverKey) {
      tokenForm.setError('Use “Edit” on the connection to enter the API key and the signature token together.');
      return;
    }
    const r = await tokenForm.run(() =>
      ats.updateConnection(orgId, conn.id, { credentials: { api_key: leverKey, webhook_signature_token: token.trim() } }, conn.version),
    );
    if (!r) return;
    onConnection(r.connection);
    setToken('');
    setTokenSaved('Signature token saved.');
  };

  return (
    <section>
      <h1 className="page-title">{ats.vendorLabel(conn.vendor)} connected</h1>
      <div className="panel secret" role="region" aria-label="Webhook setup">
        <h2>Connection “{conn.name}” created</h2>
        <p>
          Now tell {ats.vendorLabel(conn.vendor)} where to send changes, so hirewire hears about them within seconds instead of
          at the next sync.
        </p>
        <CopyField label="Webhook URL" value={conn.webhook_url} testId="webhook-url" />
        {secret && (
          <>
            <p className="notice notice--warning">
              <strong>Copy the secret key now.</strong> It is shown only once: hirewire keeps it encrypted and cannot show it
              again. If you lose it, rotate it on the Integrations page.
            </p>
            <CopyField label="Webhook secret key" value={secret} testId="webhook-secret" secret />
          </>
        )}
        <WebhookInstructions vendor={conn.vendor} />
        {conn.vendor === 'lever' && (
          <form className="form form--inline" onSubmit={saveToken} aria-label="Lever signature token" autoComplete="off">
            <Field
              label="Signature token from Lever"
              type="password"
              autoComplete="new-password"
              required
              value={token}
              onChange={(e) => setToken(e.target.value)}
            />
            <SubmitActions busy={tokenForm.busy} busyText="Saving…">
              Save token
            </SubmitActions>
            <FormError error={tokenForm.error} />
            <FormStatus message={tokenSaved} />
          </form>
        )}
      </div>
      <div className="panel form" role="region" aria-label="Connection test">
        <h2 className="form__title">Test the connection</h2>
        <p className="muted">hirewire signs in to {ats.vendorLabel(conn.vendor)} with the credentials and reads one page of jobs.</p>
        <div className="form__actions">
          <BusyButton busy={test.busy} busyText="Testing…" onClick={runTest}>
            Test connection
          </BusyButton>
          <button type="button" className="button button--ghost" onClick={onDone}>
            Done
          </button>
        </div>
        <FormError error={test.error} />
        {result && (
          <p className={result.ok ? 'notice notice--ok' : 'notice notice--error'} role="status" data-testid="test-result" data-ok={result.ok}>
            {result.ok ? 'Connected.' : 'The test failed.'} {result.detail}
          </p>
        )}
        <p className="muted">
          State: <span className={ats.stateBadgeClass(conn.state)} data-testid="connection-state" data-state={conn.state}>{ats.STATE_LABELS[conn.state] ?? conn.state}</span>
        </p>
      </div>
    </section>
  );
}
