import { useState, type FormEvent } from 'react';
import { ConfirmButton } from '../components/Confirm';
import { BusyButton, Field, FormError, FormStatus, SubmitActions, formatDate, useAction } from '../components/Forms';
import * as ats from '../lib/ats';
import type { AtsConnection } from '../lib/ats';
import { allowed } from '../lib/permissions';
import { Link } from '../lib/router';
import { CopyField, WebhookInstructions } from './AtsShared';

/// One connection on the Integrations dashboard (and atop its detail page): state, health, counts
/// and the actions the role may take. Secrets are write-only: the edit form starts empty.
export function AtsConnectionCard({
  orgId,
  role,
  conn,
  onChange,
  onDeleted,
  detailLink = true,
}: {
  orgId: string;
  role: string;
  conn: AtsConnection;
  onChange: (c: AtsConnection) => void;
  onDeleted: () => void;
  detailLink?: boolean;
}) {
  const act = useAction();
  const [status, setStatus] = useState<string | null>(null);
  const [testFailed, setTestFailed] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const [rotated, setRotated] = useState<string | null>(null);
  const maySync = allowed(role, 'ats.sync');
  const mayConnect = allowed(role, 'ats.connect');
  const mayDisconnect = allowed(role, 'ats.disconnect');
  const disconnected = conn.state === 'disconnected';
  const c = conn.counts;
  const headingId = `conn-${conn.id}-name`;

  const test = () =>
    act.run(async () => {
      setStatus(null);
      setTestFailed(null);
      const r = await ats.testConnection(orgId, conn.id);
      if (r.connection) onChange(r.connection);
      if (r.ok) setStatus(`Connection test passed${r.detail ? `: ${r.detail}` : '.'}`);
      else setTestFailed(r.detail || 'The ATS refused the credentials.');
    });
  const sync = () =>
    act.run(async () => {
      setStatus(null);
      setTestFailed(null);
      onChange(await ats.syncNow(orgId, conn.id));
      setStatus('Sync started.');
    });
  const disconnect = () =>
    act.run(async () => {
      setStatus(null);
      onChange(await ats.disconnectConnection(orgId, conn.id));
      setEditing(false);
      setStatus('Disconnected. Credentials and webhook secret are deleted; imported data stays.');
    });
  const remove = () =>
    act.run(async () => {
      await ats.deleteConnection(orgId, conn.id);
      onDeleted();
    });
  const rotate = () =>
    act.run(async () => {
      setStatus(null);
      const r = await ats.updateConnection(orgId, conn.id, { rotate_webhook_secret: true }, conn.version);
      onChange(r.connection);
      setRotated(r.webhook_secret);
    });

  return (
    <article className="panel ats-card" aria-labelledby={headingId} data-connection={conn.name} data-connection-id={conn.id}>
      <header className="ats-card__head">
        <h2 id={headingId}>{conn.name}</h2>
        <span className="muted">{ats.vendorLabel(conn.vendor)}</span>
        <span className={ats.stateBadgeClass(conn.state)} data-testid="connection-state" data-state={conn.state}>
          {ats.STATE_LABELS[conn.state] ?? conn.state}
        </span>
        {conn.syncing && (
          <span className="syncing" data-testid="syncing">
            <span className="spinner spinner--small" aria-hidden="true" /> Syncing…
          </span>
        )}
      </header>
      {conn.state_reason && (
        <p className="ats-card__reason muted" data-testid="state-reason">
          {conn.state_reason}
        </p>
      )}
      <dl className="facts">
        <dt>Last successful sync</dt>
        <dd data-testid="last-success">{conn.last_success_at ? formatDate(conn.last_success_at) : 'Never'}</dd>
        {conn.last_sync_at && conn.last_sync_at !== conn.last_success_at && (
          <>
            <dt>Last sync attempt</dt>
            <dd>{formatDate(conn.last_sync_at)}</dd>
          </>
        )}
        <dt>Next scheduled sync</dt>
        <dd>{disconnected ? '—' : conn.next_sync_at ? formatDate(conn.next_sync_at) : 'Not scheduled'}</dd>
        {conn.last_error && (
          <>
            <dt>Last error</dt>
            <dd className="ats-card__error" data-testid="last-error">
              {conn.last_error_at && <span className="muted">{formatDate(conn.last_error_at)} · </span>}
              {conn.last_error}
              {conn.consecutive_failures > 0 && (
                <span className="muted">
                  {' '}
                  ({conn.consecutive_failures} failure{conn.consecutive_failures === 1 ? '' : 's'} in a row)
                </span>
              )}
            </dd>
          </>
        )}
        <dt>Sync interval</dt>
        <dd>every {conn.settings.sync_interval_minutes} minutes</dd>
      </dl>
      <dl className="ats-counts" data-testid="counts">
        <div>
          <dt>Jobs</dt>
          <dd data-count="jobs">{c.jobs}</dd>
        </div>
        <div>
          <dt>Candidates</dt>
          <dd data-count="candidates">{c.candidates}</dd>
        </div>
        <div>
          <dt>Applications</dt>
          <dd data-count="applications">{c.applications}</dd>
        </div>
        <div>
          <dt>Webhooks received</dt>
          <dd data-count="webhooks_received">{c.webhooks_received}</dd>
        </div>
        <div>
          <dt>Duplicates</dt>
          <dd data-count="webhooks_duplicate">{c.webhooks_duplicate}</dd>
        </div>
        <div>
          <dt>Rejected</dt>
          <dd data-count="webhooks_rejected">{c.webhooks_rejected}</dd>
        </div>
      </dl>

      <div className="ats-card__actions">
        {!disconnected && mayConnect && (
          <BusyButton className="button button--small" busy={act.busy} busyText="Working…" onClick={test}>
            Test connection
          </BusyButton>
        )}
        {!disconnected && maySync && (
          <>
            <BusyButton className="button button--small button--ghost" busy={act.busy || conn.syncing} busyText={conn.syncing ? 'Syncing…' : 'Working…'} onClick={sync}>
              Sync now
            </BusyButton>
          </>
        )}
        {!disconnected && mayConnect && (
          <button type="button" className="button button--small button--ghost" aria-expanded={editing} onClick={() => setEditing((e) => !e)}>
            Edit
          </button>
        )}
        {!disconnected && mayConnect && conn.vendor === 'greenhouse' && (
          <ConfirmButton label="Rotate webhook secret" confirmLabel="Confirm: new secret" disabled={act.busy} onConfirm={rotate} />
        )}
        {!disconnected && mayDisconnect && (
          <ConfirmButton label="Disconnect" confirmLabel={`Disconnect “${conn.name}”`} disabled={act.busy} onConfirm={disconnect} />
        )}
        {disconnected && mayDisconnect && (
          <ConfirmButton label="Delete" confirmLabel={`Delete “${conn.name}” and its imported data`} disabled={act.busy} onConfirm={remove} />
        )}
        {detailLink && (
          <Link to={`/integrations/${encodeURIComponent(conn.id)}`} className="button button--small button--ghost">
            History and log
          </Link>
        )}
      </div>
      <FormStatus message={status} />
      <FormError error={testFailed ?? act.error} title={testFailed ? 'Connection test failed:' : undefined} />

      {rotated && (
        <div className="secret ats-card__secret" role="region" aria-label="New webhook secret">
          <p className="notice notice--warning">
            <strong>Copy the new secret now</strong> and replace the secret key of every hirewire web hook in Greenhouse. It is
            shown only once; deliveries signed with the old secret are rejected from now on.
          </p>
          <CopyField label="Webhook secret" value={rotated} testId="webhook-secret" secret />
          <button type="button" className="button button--ghost" onClick={() => setRotated(null)}>
            Done, I have copied it
          </button>
        </div>
      )}

      {editing && !disconnected && (
        <EditConnectionForm
          orgId={orgId}
          conn={conn}
          onSaved={(c2) => {
            onChange(c2);
            setEditing(false);
            setStatus('Connection saved.');
          }}
          onCancel={() => setEditing(false)}
        />
      )}
      {!disconnected && mayConnect && conn.webhook_url && (
        <details className="ats-card__webhook">
          <summary>Webhook setup</summary>
          <CopyField label="Webhook URL" value={conn.webhook_url} testId="webhook-url" />
          <WebhookInstructions vendor={conn.vendor} />
        </details>
      )}
    </article>
  );
}

/// Name, interval and (optionally) a full replacement of the credentials. Secret inputs start
/// empty: an empty form keeps the stored credentials.
function EditConnectionForm({
  orgId,
  conn,
  onSaved,
  onCancel,
}: {
  orgId: string;
  conn: AtsConnection;
  onSaved: (c: AtsConnection) => void;
  onCancel: () => void;
}) {
  const vendor = ats.vendorInfo(conn.vendor);
  const [name, setName] = useState(conn.name);
  const [intervalText, setIntervalText] = useState(String(conn.settings.sync_interval_minutes));
  const [creds, setCreds] = useState<Record<string, string>>({});
  const save = useAction();

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const patch: ats.ConnectionPatch = {};
    if (name.trim() !== conn.name) patch.name = name.trim();
    const minutes = Number(intervalText);
    if (minutes !== conn.settings.sync_interval_minutes) patch.settings = { sync_interval_minutes: minutes };
    const typed = Object.fromEntries(Object.entries(creds).filter(([, v]) => v.trim() !== ''));
    if (Object.keys(typed).length > 0) {
      const missing = (vendor?.fields ?? []).filter((f) => f.required && !typed[f.key]);
      if (missing.length) {
        save.setError(
          `To replace the credentials, fill in every required field (${missing.map((f) => f.label).join(', ')}); leave them all empty to keep the current ones.`,
        );
        return;
      }
      patch.credentials = typed;
    }
    if (Object.keys(patch).length === 0) {
      onCancel();
      return;
    }
    const r = await save.run(() => ats.updateConnection(orgId, conn.id, patch, conn.version));
    if (r) onSaved(r.connection);
  };

  return (
    <form className="form ats-card__edit" onSubmit={onSubmit} aria-label={`Edit ${conn.name}`} autoComplete="off">
      <Field label="Name" required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
      <Field
        label="Sync every (minutes)"
        type="number"
        min={5}
        max={1440}
        required
        value={intervalText}
        onChange={(e) => setIntervalText(e.target.value)}
        hint="5 to 1440. Webhooks bring changes in between."
      />
      <fieldset className="fieldset">
        <legend>Replace credentials</legend>
        <p className="muted field__hint">
          Stored: {conn.credential_fields.length ? conn.credential_fields.join(', ') : 'none'}. Values are never shown. Leave
          every field empty to keep the current credentials.
        </p>
        {(vendor?.fields ?? []).map((f) => (
          <Field
            key={f.key}
            id={`edit-${conn.id}-${f.key}`}
            label={f.label}
            type={f.secret ? 'password' : 'text'}
            autoComplete={f.secret ? 'new-password' : 'off'}
            placeholder="leave empty to keep"
            value={creds[f.key] ?? ''}
            onChange={(e) => setCreds((c) => ({ ...c, [f.key]: e.target.value }))}
          />
        ))}
      </fieldset>
      <FormError error={save.error} />
      <SubmitActions
        busy={save.busy}
        busyText="Saving…"
        extra={
          <button type="button" className="button button--ghost" onClick={onCancel}>
            Cancel
          </button>
        }
      >
        Save connection
      </SubmitActions>
    </form>
  );
}
