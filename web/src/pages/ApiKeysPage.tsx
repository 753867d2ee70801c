import { useRef, useState, type FormEvent } from 'react';
import { ConfirmButton } from '../components/Confirm';
import { Field, FormError, FormStatus, SubmitActions, formatDate, useAction } from '../components/Forms';
import { DataTable, LoadView } from '../components/Lists';
import { RoleSelect } from '../components/RoleSelect';
import * as accounts from '../lib/accounts';
import type { ApiKey } from '../lib/accounts';
import { allowed, invitableRoles, roleLabel } from '../lib/permissions';
import { useActiveOrg } from '../lib/session';
import { useLoad } from '../lib/useLoad';
import { useRowAction } from '../lib/useRowAction';

/// "2025-06-30" (a date input) -> the end of that day in the browser's time zone, RFC 3339 UTC.
export function endOfDayIso(date: string): string | undefined {
  if (!date) return undefined;
  const d = new Date(`${date}T23:59:59`);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/// API keys (api_key.*): create (the secret is shown exactly once), list, revoke.
export function ApiKeysPage() {
  const { org, role } = useActiveOrg();
  const roles = invitableRoles(role);
  const { state, reload, update } = useLoad((signal) => accounts.listApiKeys(org.id, signal), [org.id]);
  const [name, setName] = useState('');
  const [keyRole, setKeyRole] = useState<string>('viewer');
  const [expires, setExpires] = useState('');
  // The secret lives only in this state: never in storage, gone on "Done" or leaving the page.
  const [created, setCreated] = useState<{ name: string; secret: string } | null>(null);
  const [copied, setCopied] = useState<string | null>(null);
  const secretRef = useRef<HTMLInputElement>(null);
  const form = useAction();
  const rows = useRowAction();
  const mayCreate = allowed(role, 'api_key.create');
  const mayRevoke = allowed(role, 'api_key.revoke');

  const onCreate = async (e: FormEvent) => {
    e.preventDefault();
    rows.setStatus(null);
    setCopied(null);
    const input: { name: string; role: string; expires_at?: string } = { name: name.trim(), role: keyRole };
    const exp = endOfDayIso(expires);
    if (exp) input.expires_at = exp;
    const res = await form.run(() => accounts.createApiKey(org.id, input));
    if (!res) return;
    setCreated({ name: res.api_key?.name ?? input.name, secret: res.secret });
    if (res.api_key) update((list) => [res.api_key, ...list.filter((k) => k.id !== res.api_key.id)]);
    setName('');
    setExpires('');
  };

  const copy = async () => {
    if (!created) return;
    try {
      await navigator.clipboard.writeText(created.secret);
      setCopied('Copied to the clipboard.');
    } catch {
      secretRef.current?.select();
      setCopied('Could not copy automatically: the key is selected, press Ctrl+C (⌘C) to copy it.');
    }
  };

  const revoke = (k: ApiKey) =>
    rows.run(k.id, async () => {
      await accounts.revokeApiKey(org.id, k.id);
      update((list) => list.map((x) => (x.id === k.id ? { ...x, revoked_at: new Date().toISOString() } : x)));
      rows.setStatus(`API key “${k.name}” revoked.`);
    });

  return (
    <section>
      <h1 className="page-title">API keys</h1>
      <p className="lede">
        Keys let other systems call the hirewire API for {org.name} with a fixed role. Send one as{' '}
        <code>Authorization: Bearer hwk_…</code>.
      </p>

      {created && (
        <div className="panel secret" role="region" aria-label="New API key">
          <h2>API key “{created.name}” created</h2>
          <p className="notice notice--warning">
            <strong>Copy this key now.</strong> It is shown only once: hirewire stores only a hash of it and cannot show
            it again. If you lose it, revoke it and create a new one.
          </p>
          <div className="secret__row">
            <label htmlFor="new-api-key" className="sr-only">
              New API key
            </label>
            <input
              id="new-api-key"
              ref={secretRef}
              className="secret__value"
              readOnly
              value={created.secret}
              onFocus={(e) => e.currentTarget.select()}
              data-testid="api-key-secret"
            />
            <button type="button" className="button" onClick={copy}>
              Copy
            </button>
          </div>
          <FormStatus message={copied} />
          <button
            type="button"
            className="button button--ghost"
            onClick={() => {
              setCreated(null);
              setCopied(null);
            }}
          >
            Done, I have copied it
          </button>
        </div>
      )}

      {mayCreate && (
        <form className="panel form form--inline" onSubmit={onCreate} aria-label="Create an API key">
          <Field label="Name" required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} hint="What uses it, e.g. “ATS sync”." />
          <RoleSelect id="api-key-role" roles={roles} value={keyRole} onValue={setKeyRole} />
          <Field
            label="Expires (optional)"
            type="date"
            value={expires}
            min={new Date().toISOString().slice(0, 10)}
            onChange={(e) => setExpires(e.target.value)}
            hint="Empty: never expires."
          />
          <SubmitActions busy={form.busy} busyText="Creating…">
            Create key
          </SubmitActions>
          <FormError error={form.error} />
        </form>
      )}

      <FormStatus message={rows.status} />
      <FormError error={rows.error?.text ?? null} title={rows.error?.title} />
      <LoadView state={state} loading="Loading API keys…" errorTitle="Could not load the API keys" onRetry={reload} empty="No API keys yet.">
        {(keys) => (
          <DataTable columns={['Name', 'Key', 'Role', 'Created', 'Expires', 'Last used']} actions>
            {keys.map((k) => {
              const expired = !!k.expires_at && new Date(k.expires_at).getTime() < Date.now();
              return (
                <tr key={k.id} data-api-key={k.name}>
                  <td>{k.name}</td>
                  <td>
                    <code>{k.prefix}…</code>
                  </td>
                  <td>{roleLabel(k.role)}</td>
                  <td>{formatDate(k.created_at)}</td>
                  <td>{k.expires_at ? formatDate(k.expires_at) : 'Never'}</td>
                  <td>{k.last_used_at ? formatDate(k.last_used_at) : 'Never used'}</td>
                  <td className="table__actions">
                    {k.revoked_at ? (
                      <span className="badge badge--fail">Revoked</span>
                    ) : expired ? (
                      <span className="badge badge--muted">Expired</span>
                    ) : (
                      mayRevoke && (
                        <ConfirmButton
                          label="Revoke"
                          confirmLabel={`Revoke “${k.name}”`}
                          disabled={rows.busyId === k.id}
                          onConfirm={() => revoke(k)}
                        />
                      )
                    )}
                  </td>
                </tr>
              );
            })}
          </DataTable>
        )}
      </LoadView>
    </section>
  );
}
